from studypack.cli import main

main()
