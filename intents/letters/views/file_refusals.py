"""A refused file is told beside the upload form's file input, not at the top of the page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from ...models import LetterOfIntent
from ..forms import DocumentUploadForm

# The extra tag of a message about the file itself: the letter's page shows it beside the file
# input, tied to it (intents.letters.forms.DocumentUploadForm), rather than at the top.
BESIDE_THE_FILE = "beside-the-file"


def upload_form_of(letter: LetterOfIntent) -> str:
    """The letter's page, opened at the reasons beside the upload form."""
    return reverse("letters:letter_detail", args=[letter.pk]) + f"#{DocumentUploadForm.error_id}"


def refuse_file(request: HttpRequest, letter: LetterOfIntent, reason: str) -> HttpResponseRedirect:
    messages.error(request, reason, extra_tags=BESIDE_THE_FILE)
    return redirect(upload_form_of(letter))


def refused_files(request: HttpRequest) -> list[str]:
    """The reasons the last file was refused, for the upload form."""
    return [
        str(message)
        for message in messages.get_messages(request)
        if BESIDE_THE_FILE in message.extra_tags.split()
    ]
