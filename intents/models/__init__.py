from .call import Call, CooperationMode, Criterion, DocumentType, ReferenceSequence
from .document import Document
from .letter import Extension, LetterOfIntent, LetterVersion
from .review import Assignment, AssignmentRun, ConflictDeclaration, Review, Reviewer, Score

__all__ = [
    "Assignment",
    "AssignmentRun",
    "Call",
    "ConflictDeclaration",
    "CooperationMode",
    "Criterion",
    "Document",
    "DocumentType",
    "Extension",
    "LetterOfIntent",
    "LetterVersion",
    "ReferenceSequence",
    "Review",
    "Reviewer",
    "Score",
]
