from .call import Call, CooperationMode, Criterion, DocumentType, ReferenceSequence
from .decision import Decision
from .document import Document
from .export import ExportJob
from .letter import Extension, LetterOfIntent, LetterVersion
from .registration import CallRegistration
from .review import Assignment, AssignmentRun, ConflictDeclaration, Review, Reviewer, Score

__all__ = [
    "Assignment",
    "AssignmentRun",
    "Call",
    "CallRegistration",
    "ConflictDeclaration",
    "CooperationMode",
    "Criterion",
    "Decision",
    "Document",
    "DocumentType",
    "Extension",
    "ExportJob",
    "LetterOfIntent",
    "LetterVersion",
    "ReferenceSequence",
    "Review",
    "Reviewer",
    "Score",
]
