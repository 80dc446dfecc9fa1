from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.form_fields import LoadedModelChoiceField, NumberInput, mark_needed_later
from portal.form_helpers import styled_submit
from portal.organisations.models import Organisation

from ..completeness import ALWAYS_REQUIRED
from ..models import CooperationMode, DocumentType, LetterOfIntent
from ..models.call import TECHNICAL_FIELDS
from ..models.letter import LETTER_FIELDS


class StartLetterForm(forms.Form):
    organisation = LoadedModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    mode = LoadedModelChoiceField(
        label=_("Cooperation mode"),
        queryset=CooperationMode.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Working title"), max_length=255)

    def __init__(self, *args, call, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organisations the user may edit are offered, so a forged choice is invalid.
        self.fields["organisation"].offer(organisations)
        self.fields["mode"].offer(call.modes.all())
        self.helper = FormHelper()
        self.helper.form_action = reverse("letters:letter_start", args=[call.slug])
        self.helper.add_input(Submit("start", _("Start the draft")))


class RegisterForm(forms.Form):
    organisation = LoadedModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, call, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organisations the user may edit are offered, so a forged choice is invalid.
        self.fields["organisation"].offer(organisations)
        if len(organisations) == 1:
            # Nothing to choose: the form names the one organisation itself.
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        self.helper = FormHelper()
        self.helper.form_action = reverse("letters:call_register", args=[call.slug])
        self.helper.add_input(
            styled_submit("register", _("Remind us before the deadline"), "btn-outline-primary")
        )


class LetterForm(forms.ModelForm):
    """The letter in sections; technical fields appear only when the mode asks for them.

    A draft's form carries every technical field and the fields each mode asks for
    (`mode_fields`); portal.js shows only the chosen mode's fields as the mode changes, and
    `changes()` keeps only those. A filed letter's mode is fixed, so its form holds just its own.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ModelChoiceField(
        label=_("Cooperation mode"), queryset=CooperationMode.objects.none(), empty_label=None
    )

    class Meta:
        model = LetterOfIntent
        fields = LETTER_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "contribution": forms.Textarea(attrs={"rows": 5}),
            "timeline": forms.Textarea(attrs={"rows": 3}),
            "partner_organisations": forms.Textarea(attrs={"rows": 3}),
            # Figures as the letter's page shows them: 12.5, not the column's 12.50.
            **{name: NumberInput for name in TECHNICAL_FIELDS},
        }
        help_texts = {
            "summary": _("A paragraph a reviewer can read in a minute."),
            "contribution": _("The spacecraft, payload or module you propose, and what it does."),
            "trl": _("1 (basic principles observed) to 9 (flight proven)."),
            "partner_organisations": _("One organisation per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        letter = self.instance
        self.fields["mode"].queryset = letter.call.modes.all()
        self.fields["mode"].initial = letter.mode_id
        self.fields["version"].initial = letter.version
        self.fields["trl"].widget = forms.Select(
            choices=[("", "—")] + [(level, str(level)) for level in range(1, 10)]
        )
        self.fields["funding_status"].choices = [("", "—"), *LetterOfIntent.Funding.choices]
        self.mode_fields = {
            str(mode.pk): list(mode.technical_fields) for mode in self.fields["mode"].queryset
        }
        if letter.is_draft:
            technical = list(TECHNICAL_FIELDS)
        else:
            # The mode is part of what was filed; changing it means withdrawing and starting anew.
            self.fields["mode"].disabled = True
            technical = [name for name in TECHNICAL_FIELDS if name in letter.mode.technical_fields]
            for name in set(TECHNICAL_FIELDS) - set(technical):
                del self.fields[name]
        # What submission needs (the technical fields shown are those the chosen mode asks
        # for), marked on the form so that nobody learns it only when submitting.
        mark_needed_later(self, [*ALWAYS_REQUIRED, *technical])
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("version"),
            Fieldset(_("The proposal"), "mode", "title", "summary", "objectives", "contribution"),
            Fieldset(
                _("Technical figures"),
                *(Field(name, wrapper_class=f"technical-field field-{name}") for name in technical),
                "trl",
            ),
            Fieldset(_("Plan"), "funding_status", "timeline", "partner_organisations"),
            Fieldset(_("Contact"), "contact_name", "contact_email"),
        )
        label = _("Save the draft") if letter.is_draft else _("Save the amendment")
        self.helper.add_input(Submit("save", label))

    def changes(self):
        """What the user may change: the technical fields of the chosen mode, and the rest."""
        mode = self.cleaned_data.get("mode") or self.instance.mode
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.fields
            and (name not in TECHNICAL_FIELDS or name in mode.technical_fields)
        }


def types_for_mode(letter):
    """The document types a letter may carry: those its mode requires, first, then those no mode
    requires (optional for all); never those only other modes require."""
    modes = DocumentType.required_for.through.objects.filter(documenttype=OuterRef("pk"))
    return (
        letter.call.document_types.annotate(
            required=Exists(modes.filter(cooperationmode=letter.mode))
        )
        .filter(Q(required=True) | ~Exists(modes))
        .order_by("-required", "position", "pk")
    )


class DocumentUploadForm(forms.Form):
    error_id = "upload-error"

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.none(), empty_label=None
    )
    file = forms.FileField(label=_("File (PDF)"))

    def __init__(self, *args, letter, refused: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = types_for_mode(letter)
        self.fields["file"].help_text = _("PDF only, at most %(limit)s.") % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)
        }
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"
        # Why the last file was refused: shown beside the input and tied to it, so a screen
        # reader says it on reaching the input.
        self.refused = list(refused)
        if self.refused:
            self.fields["file"].widget.attrs |= {
                "aria-invalid": "true",
                "aria-describedby": f"{self.error_id} {self['file'].auto_id}_helptext",
            }
        self.helper = FormHelper()
        self.helper.form_tag = False


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why are you withdrawing this letter?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn letter cannot be submitted again."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(styled_submit("withdraw", _("Withdraw the letter"), "btn-danger"))
