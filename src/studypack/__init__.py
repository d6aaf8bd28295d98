"""studypack: one course source -> handout PDF, PowerPoint deck, flashcards."""

__version__ = "0.1.0"
