"""Forms of the training pages. Validation rules live in the models; forms only shape input."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from establishments.models import Establishment
from kontum_cp.forms import MISSING_VERSION, MISSING_VERSION_CODE, GroupedIntegerField, VersionedModelForm
from kontum_cp.models import year_validators

from .models import Event, Gender, Person, StaffCategory

UNKNOWN_ESTABLISHMENT = _("No establishment has the code “%(code)s”. Pick one from the suggestions.")
UNKNOWN_PERSON = _("This person no longer exists. Search again.")
NAME_REQUIRED = _("Enter the person's full name.")
CATEGORY_REQUIRED = _("Choose a staff category.")

DATALIST_ID = "establishment-codes"


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy: the browser's own date picker follows the browser's
    language (mm/dd/yyyy in an English Chrome), which confuses Vietnamese users."""

    def __init__(self, **kwargs):
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 10}
        super().__init__(format="%d/%m/%Y", attrs=attrs, **kwargs)


class EstablishmentCodeField(forms.CharField):
    """An establishment entered by its code; the browser suggests codes from a <datalist>."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", capfirst(_("works at establishment")))
        kwargs.setdefault("help_text", _("Establishment code, e.g. KT-0001; type to see suggestions."))
        super().__init__(
            max_length=30,
            widget=forms.TextInput(attrs={"list": DATALIST_ID, "autocomplete": "off"}),
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, Establishment):
            return value.code
        if isinstance(value, int):
            return Establishment.objects.filter(pk=value).values_list("code", flat=True).first() or ""
        return value

    def clean(self, value):
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        # A suggestion may come back as "CODE — name"; keep the code.
        code = code.split(" — ")[0].strip()
        establishment = Establishment.objects.filter(code__iexact=code).first()
        if establishment is None:
            raise forms.ValidationError(UNKNOWN_ESTABLISHMENT, code="unknown", params={"code": code})
        return establishment


class EventForm(VersionedModelForm):
    class Meta:
        model = Event
        fields = [
            "code", "title", "kind", "start_date", "end_date", "place", "organiser", "topic", "audience_reached",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "topic": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("A short stable code, e.g. TH-2018-01."),
            "start_date": _("dd/mm/yyyy, e.g. 14/05/2019."),
            "end_date": _("dd/mm/yyyy; leave blank for a one-day event."),
        }
        labels = {"title": _("Event title")}


class PersonForm(VersionedModelForm):
    establishment = EstablishmentCodeField()

    class Meta:
        model = Person
        fields = ["name", "category", "organisation", "establishment", "gender"]


# A row counts as filled when one of these has a value; gender and "completed" have defaults.
ROW_IDENTITY_FIELDS = ("person", "name", "category", "organisation", "establishment")
NEW_ROW_INITIAL = {"completed": True, "gender": Gender.UNSPECIFIED}


def _nothing_in(values):
    return not any(str(values.get(name) or "").strip() for name in ROW_IDENTITY_FIELDS)


class AttendanceRowForm(forms.Form):
    """One attendee: an existing person (hidden id) or a new person typed in place."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("full name"), required=False, max_length=255)
    category = forms.ChoiceField(
        label=_("staff category"), required=False, choices=[("", "—")] + list(StaffCategory.choices)
    )
    organisation = forms.CharField(label=_("organisation"), required=False, max_length=255)
    establishment = EstablishmentCodeField()
    gender = forms.ChoiceField(label=_("gender"), required=False, choices=Gender.choices, initial=Gender.UNSPECIFIED)
    completed = forms.BooleanField(label=_("completed"), required=False, initial=True)

    def __init__(self, *args, people=None, **kwargs):
        # `people`: {pk: Person} already fetched for the whole formset (no query per row).
        self.people = people or {}
        super().__init__(*args, **kwargs)

    @property
    def chosen_person(self):
        pk = self["person"].value()
        try:
            return self.people.get(int(pk)) if pk not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def new_person_fields(self):
        return [self[name] for name in ("category", "organisation", "establishment", "gender")]

    def is_blank(self):
        return _nothing_in(getattr(self, "cleaned_data", {}))

    def typed_values(self):
        """The row as typed (raw text), to show it again in an unbound form; an unknown person is dropped."""
        values = {name: self[name].data for name in self.fields}
        values["person"] = self.chosen_person.pk if self.chosen_person else None
        return values

    def typed_nothing(self):
        return _nothing_in(self.typed_values())

    def clean(self):
        data = super().clean()
        if data.get("person"):
            if data["person"] not in self.people:
                raise forms.ValidationError(UNKNOWN_PERSON)
            return data
        if self.is_blank():
            return data
        if not data.get("name"):
            self.add_error("name", NAME_REQUIRED)
        if not data.get("category"):
            self.add_error("category", CATEGORY_REQUIRED)
        return data


class BaseAttendanceFormSet(forms.BaseFormSet):
    def __init__(self, *args, people=None, **kwargs):
        self.people = people or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "people": self.people}

    def filled_forms(self):
        return [f for f in self.forms if f.is_valid() and not f.is_blank()]

    def retyped(self, *, blank_rows):
        """An unbound copy holding the rows typed so far (empty ones dropped) and `blank_rows` empty rows.

        Shown after a search: nothing typed is lost, and no row is marked wrong before the user saves.
        """
        typed = [form.typed_values() for form in self.forms if not form.typed_nothing()]
        initial = (typed + [NEW_ROW_INITIAL] * blank_rows)[: max(self.max_num, len(typed))]
        return type(self)(initial=initial, prefix=self.prefix, people=self.people)


AttendanceFormSet = forms.formset_factory(
    AttendanceRowForm, formset=BaseAttendanceFormSet, extra=0, max_num=50, absolute_max=60, validate_max=True
)


NO_HEADCOUNT = _("Enter at least one headcount.")


class HeadcountYearForm(forms.Form):
    """One year's headcounts: a number field per staff category."""

    year = forms.IntegerField(label=_("Year"), validators=year_validators)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    # The year's figures when the form was opened (optimistic locking; see services.headcount_fingerprint).
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, fixed_year=None, opened_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Editing a saved year: the form must carry the figures it was opened with (locking fails closed).
        self.opened_required = opened_required
        if fixed_year is not None:
            self.fields["year"].initial = fixed_year
            self.fields["year"].disabled = True
        for value, label in StaffCategory.choices:
            self.fields[f"n_{value}"] = GroupedIntegerField(
                label=label, required=False, help_text=_("Number of people; leave blank if unknown."),
            )

    def clean(self):
        cleaned = super().clean()
        if self.opened_required and not cleaned.get("opened"):
            self.add_error(None, ValidationError(MISSING_VERSION, code=MISSING_VERSION_CODE))
        elif not self.errors and all(number is None for number in self.values().values()):
            # Blank fields remove their headcounts; a form with every field blank is refused rather than
            # taken as "remove the whole year" (what an empty or truncated request would otherwise do).
            raise ValidationError(NO_HEADCOUNT)
        return cleaned

    def category_fields(self):
        return [self[f"n_{value}"] for value in StaffCategory.values]

    def values(self):
        return {value: self.cleaned_data.get(f"n_{value}") for value in StaffCategory.values}

    def add_category_errors(self, error_dict):
        for category, messages in error_dict.items():
            for message in messages:
                self.add_error(f"n_{category}", message)
