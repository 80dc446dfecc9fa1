from .call import Call, CooperationMode, DocumentType, ReferenceSequence
from .document import Document
from .letter import Extension, LetterOfIntent, LetterVersion

__all__ = [
    "Call",
    "CooperationMode",
    "Document",
    "DocumentType",
    "Extension",
    "LetterOfIntent",
    "LetterVersion",
    "ReferenceSequence",
]
