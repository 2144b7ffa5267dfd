"""spaCy lives here and nowhere else."""

from communique.nlp.view import Entity, ParsedDoc, Sent, Tok

__all__ = ["Entity", "ParsedDoc", "Sent", "Tok"]
