"""Forms of the establishment pages. They validate input and show errors;
saving is done by services (which run the model rules again)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontum_cp.forms import VersionedModelForm, money_help, version_error_to_top
from kontum_cp.models import MAX_YEAR, MIN_YEAR

from .models import AssistanceKind, AssistanceRecord, CPMeasure, Establishment, MeasureCategory, MeasureStatus

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class VersionedForm(VersionedModelForm):
    """A versioned model form whose year boxes bring up a numeric keyboard on phones.

    Quantities (employees, VND amounts, capacities) are grouped number fields
    (kontum_cp.forms.number_formfield); years stay plain, never "2.018".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if isinstance(self.fields[name], forms.IntegerField) and name != "version" and name.endswith("year"):
                self.fields[name].widget.attrs.setdefault("inputmode", "numeric")


class EstablishmentForm(VersionedForm):
    class Meta:
        model = Establishment
        fields = [
            "code", "name", "legal_form", "parent_organisation", "parent_organisation_en", "place", "sector",
            "address", "main_products", "employees", "technical_staff", "cp_potential", "cp_potential_assessed_on",
            "baseline_year", "established_year", "notes", "notes_en",
        ]
        widgets = {"cp_potential_assessed_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3}),
                   "notes_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code identifies the establishment in URLs, imports and exports.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")


class CloseForm(forms.Form):
    closed_year = forms.IntegerField(label=_("closed in"), min_value=1990, max_value=2100,
                                     widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    confirm = forms.BooleanField(
        label=_("Yes, this establishment has closed. It stays in the records with its history."),
    )
    # The version the establishment had when the form was opened; required (kontum_cp.forms.MISSING_VERSION).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        cleaned = super().clean()
        version_error_to_top(self)
        return cleaned


class MeasureForm(VersionedForm):
    class Meta:
        model = CPMeasure
        fields = [
            "title", "category", "status", "year", "investment_vnd", "expected_savings_vnd",
            "achieved_savings_vnd", "savings_note", "environmental_benefit", "wastewater_capacity_m3_day",
            "description", "description_en",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, establishment, **kwargs):
        self.establishment = establishment
        super().__init__(*args, **kwargs)
        for name in ("investment_vnd", "expected_savings_vnd", "achieved_savings_vnd"):
            self.fields[name].help_text = money_help()

    def clean_title(self):
        title = self.cleaned_data["title"]
        self.refuse_clash(_("This establishment already has a measure with this title."),
                          establishment=self.establishment, title=title)
        return title


class AssistanceForm(VersionedForm):
    class Meta:
        model = AssistanceRecord
        fields = [
            "year", "date", "kind", "support_group", "staff_involved", "funding_source", "amount_vnd",
            "description", "description_en", "outcome",
        ]
        widgets = {
            "date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["amount_vnd"].help_text = money_help()

    def clean(self):
        data = super().clean()
        if not data.get("year") and not data.get("date") and "year" not in self.errors:
            self.add_error("year", _("Give the year or the date."))
        if data.get("date") and not data.get("year"):
            data["year"] = data["date"].year
        return data


class EstablishmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (code, name)"), required=False)
    place = forms.ChoiceField(label=_("place"), required=False)
    sector = forms.ChoiceField(label=_("sector"), required=False)
    cp_potential = forms.ChoiceField(label=_("has CP potential"), choices=YES_NO, required=False)
    applying = forms.ChoiceField(label=_("applying CP"), choices=YES_NO, required=False)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All"))] + list(Establishment.Status.choices))

    def __init__(self, *args, places, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("All"))] + [(p.code, p.name) for p in places]
        self.fields["sector"].choices = [("", _("All"))] + [(s.code, s.name) for s in sectors]


def _year_choices(years):
    return [("", _("All"))] + [(str(y), str(y)) for y in years]


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (title, establishment)"), required=False)
    category = forms.ChoiceField(label=_("technique"), required=False,
                                 choices=[("", _("All"))] + list(MeasureCategory.choices))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All"))] + list(MeasureStatus.choices))
    year = forms.ChoiceField(label=_("year"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)


class AssistanceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (establishment, description)"), required=False)
    year = forms.ChoiceField(label=_("year"), required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("assistance", "kind"), required=False,
                             choices=[("", _("All"))] + list(AssistanceKind.choices))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)


class CloseYearForm(forms.Form):
    """Close a year (administrators): the year, why, and whether its registry is confirmed complete."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    registry_complete = forms.BooleanField(
        label=_("Also confirm the registry of establishments of this year as complete"), required=False)


class ReopenYearForm(forms.Form):
    """Reopen a closed year: the reason is required."""

    reason = forms.CharField(label=_("Why is the year reopened?"), widget=forms.Textarea(attrs={"rows": 2}))
