from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.form_fields import ModelMultipleChoiceField, mark_needed_later
from portal.form_helpers import posted_once
from portal.organisations.models import Organisation

from ..models import ConflictDeclaration, CooperationMode, Review, Reviewer


class ReviewerProfileForm(forms.Form):
    """What the conflict rules and the matching need to know about a reviewer."""

    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=255,
        required=False,
        help_text=_("The institution you work for, as its name appears on letters."),
    )
    country = CountryField().formfield(label=_("Country"))
    expertise = ModelMultipleChoiceField(
        label=_("Cooperation modes you can judge"),
        queryset=CooperationMode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, call, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = call.modes.all()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label))

    def profile(self):
        return {
            "organisation": self.cleaned_data.get("organisation"),
            "affiliation": self.cleaned_data["affiliation"],
            "country": self.cleaned_data["country"],
        }


class InviteReviewerForm(ReviewerProfileForm):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=Reviewer._meta.get_field("email").max_length
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation registered in the portal"),
        queryset=Organisation.objects.order_by("legal_name"),
        required=False,
        help_text=_("If the reviewer works for an organisation registered here, choose it."),
    )

    field_order = ["email", "organisation", "affiliation", "country", "expertise"]


class ConflictForm(forms.Form):
    NONE = "none"
    CONFLICT = "conflict"

    answer = forms.ChoiceField(
        label=_("Do you have a conflict of interest with this letter?"),
        choices=[
            (NONE, _("No, I have no conflict of interest with this letter")),
            (CONFLICT, _("Yes, I have a conflict of interest")),
        ],
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind of conflict"),
        choices=[("", "—"), *ConflictDeclaration.Kind.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the programme office (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = posted_once(Submit("answer-conflict", _("Send my answer")))

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.CONFLICT and not data.get("kind"):
            self.add_error("kind", _("Say what kind of conflict you have."))
        return data


class ReviewForm(forms.Form):
    """One score per rubric criterion, the recommendation and the two comments.

    Every field may be left empty while the review is a draft; submitting needs them all."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Review.Recommendation.choices],
        required=False,
    )
    comment_to_committee = forms.CharField(
        label=_("Comment to the committee"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
    )
    comment_to_applicant = forms.CharField(
        label=_("Comment that may be shared with the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
        help_text=_("The programme office may pass this on with its decision."),
    )

    def __init__(self, *args, criteria, score_max, submitted, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(value), str(value)) for value in range(1, score_max + 1)]
        score_fields = []
        for criterion in self.criteria:
            name = f"score_{criterion.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion, "weight": criterion.weight},
                help_text=criterion.localized("description"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "score-choice"}),
            )
            score_fields.append(InlineRadios(name, wrapper_class="score-field"))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Scores from 1 (weak) to %(top)s (excellent)") % {"top": score_max},
                *score_fields,
            ),
            Fieldset(
                _("Your judgement"),
                "recommendation",
                "comment_to_committee",
                "comment_to_applicant",
            ),
        )
        if not submitted:
            save = Submit("save", _("Save the draft"))
            # Submit always adds btn-primary; a secondary action must not look like the main one.
            save.field_classes = "btn btn-outline-primary me-2"
            self.helper.add_input(save)
        label = _("Save the changes") if submitted else _("Submit the review")
        self.helper.add_input(Submit("submit", label))
        # A draft may lack anything; submission needs every score and the recommendation.
        mark_needed_later(self, [*(f"score_{c.pk}" for c in self.criteria), "recommendation"])

    def mark_incomplete(self, refusal):
        """Put the refused submission's gaps on their fields, each with its own error."""
        for criterion in refusal.criteria:
            self.add_error(f"score_{criterion.pk}", _("Give this criterion a score."))
        if refusal.recommendation:
            self.add_error("recommendation", _("Choose a recommendation."))

    def values(self):
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def answers(self):
        return {
            name: self.cleaned_data[name]
            for name in ("recommendation", "comment_to_committee", "comment_to_applicant")
        }

    @staticmethod
    def initial_for(review):
        if review is None:
            return {}
        initial = {
            "recommendation": review.recommendation,
            "comment_to_committee": review.comment_to_committee,
            "comment_to_applicant": review.comment_to_applicant,
        }
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = str(score.value)
        return initial


class AssignReviewerForm(forms.Form):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)
