"""The drawing side of every output: one module per output file (declared in studypack.outputs)."""
