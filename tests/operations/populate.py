"""Letters filed through the real domain actions, in a deployment's own process:

    python -c "import django; django.setup(); from tests.operations.populate import main; main(4)"

Each organisation files a letter with a signed letter and a technical annex; every other one
amends it (a third document), one removes its annex after filing (the first receipts still name
it), and one more organisation keeps a draft with a document. Prints what it made as JSON.
"""

import json

from intents.letters import actions
from intents.models import Document, LetterVersion
from portal.organisations.models import Role
from tests.factories import (
    CallFactory,
    DocumentTypeFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    attach_pdf,
    complete_letter_fields,
)


def attach(letter, user, document_type, pages):
    # A page count of its own per document: every document has bytes of its own.
    return attach_pdf(letter, user, document_type, f"{document_type.code}-{pages}.pdf", pages)


def main(letters):
    call = CallFactory(reference_prefix="DRL")
    mode = ModeFactory(call=call, number=3)
    signed = DocumentTypeFactory(call=call, code="signed-letter", name="Signed letter")
    signed.required_for.add(mode)
    annex = DocumentTypeFactory(call=call, code="annex", name="Technical annex")
    pages = iter(range(1, 1000))
    references = []
    for n in range(letters + 1):
        owner = MembershipFactory(role=Role.OWNER).user
        letter = LetterFactory(
            mode=mode,
            organisation=owner.memberships.get().organisation,
            created_by=owner,
            **complete_letter_fields(),
        )
        attach(letter, owner, signed, next(pages))
        extra = attach(letter, owner, annex, next(pages))
        if n == letters:
            break  # the last one stays a draft
        letter.refresh_from_db()
        letter = actions.submit(letter_id=letter.pk, user=owner, expected_version=letter.version)
        references.append(letter.reference)
        if n % 2:
            attach(letter, owner, annex, next(pages))
        if n == 0:
            actions.remove_document(letter_id=letter.pk, user=owner, document_id=extra.pk)
    print(
        json.dumps(
            {
                "references": references,
                "documents": Document.objects.count(),
                "versions": LetterVersion.objects.count(),
                "receipt_hashes": sum(
                    len(snapshot["documents"])
                    for snapshot in LetterVersion.objects.values_list("snapshot", flat=True)
                ),
            }
        )
    )
