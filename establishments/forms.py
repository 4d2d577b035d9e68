"""Forms of the establishment pages. They validate input and show errors;
saving is done by services (which run the model rules again)."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontum_cp.forms import DateOrYearsField, VersionedModelForm, YearRangeField, money_help, version_error_to_top
from kontum_cp.models import MAX_YEAR, MIN_YEAR
from kontum_cp.periods import YearRange

from .models import AssistanceRecord, CPMeasure, Establishment, Place
from .places import place_menu

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
NO_PLACE = "none"  # the filters' value for the establishments without a place


class PlaceChoiceField(forms.ChoiceField):
    """The one place menu of every form and filter: the places valid today grouped by parent, then the
    former units marked "(until 30/06/2025)" (establishments.places.place_menu). Every place is offered,
    so a record registered to a former district shows it selected and saves it unchanged.

    Values are primary keys; the field cleans to a Place (None when empty). `blank_label` names the
    empty choice; `none_label`, when given, adds the choice "none" (filters: without a place), which
    cleans to the string "none". Call `load(places)` in the form's __init__ (selectors.place_options(): one query; none given: the field reads them).
    """

    def __init__(self, *, blank_label="---------", none_label=None, **kwargs):
        super().__init__(choices=(), **kwargs)
        self.blank_label, self.none_label = blank_label, none_label
        self.places = {}

    def load(self, places=None):
        places = list(Place.objects.select_related("parent")) if places is None else places
        self.places = {str(p.pk): p for p in places}
        choices = [("", self.blank_label)]
        if self.none_label is not None:
            choices.append((NO_PLACE, self.none_label))
        for group, members in place_menu(places):
            options = [(str(p.pk), label) for p, label in members]
            if group:
                choices.append((group, options))
            else:
                choices.extend(options)
        self.choices = choices

    def prepare_value(self, value):
        return str(value.pk) if isinstance(value, Place) else value

    def to_python(self, value):
        value = self.prepare_value(value)
        if value in self.empty_values:
            return None
        value = str(value)
        if value == NO_PLACE and self.none_label is not None:
            return NO_PLACE
        if value not in self.places:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return self.places[value]

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


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
    place = PlaceChoiceField(label=_("place"), required=False)

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
        self.fields["place"].load()
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
    """A CP measure; its year in one box that also takes a range ("2016–2018", "by 2018"), shown back the
    same way. An exact year fills `year`, a range `year_earliest` and `year_latest`."""

    year = YearRangeField(label=_("year"))

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
        if not self.is_bound:
            self.initial["year"] = self.instance.period

    def clean(self):
        data = super().clean()
        period = data.get("year")
        if isinstance(period, YearRange):
            # The model checks the three fields together (`CPMeasure.clean`, run after this).
            data["year"] = period.exact
            earliest, latest = (None, None) if period.exact is not None else (period.earliest, period.latest)
            self.instance.year_earliest, self.instance.year_latest = earliest, latest
        return data

    def model_data(self):
        data = super().model_data()
        data.update(year_earliest=self.instance.year_earliest, year_latest=self.instance.year_latest)
        return data

    def clean_title(self):
        title = self.cleaned_data["title"]
        self.refuse_clash(_("This establishment already has a measure with this title."),
                          establishment=self.establishment, title=title)
        return title


class AssistanceForm(VersionedForm):
    """An assistance record; its date in one box: a date, a year, or a range of years ("by 2018")."""

    date = DateOrYearsField(label=_("date"), required=True)

    class Meta:
        model = AssistanceRecord
        fields = [
            "date", "kind", "support_group", "staff_involved", "funding_source", "amount_vnd",
            "description", "description_en", "outcome",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_vnd"].help_text = money_help()
        if not self.is_bound and self.instance.pk:
            self.initial["date"] = self.instance.date or self.instance.period

    def clean(self):
        data = super().clean()
        when = data.get("date")
        if isinstance(when, YearRange):
            data["date"] = None
            year = when.exact
            earliest, latest = (None, None) if year is not None else (when.earliest, when.latest)
        elif when is not None:
            year, earliest, latest = when.year, None, None
        else:
            return data
        # The model checks them together (`AssistanceRecord.clean`, run after this).
        self.instance.year, self.instance.date_earliest, self.instance.date_latest = year, earliest, latest
        return data

    def model_data(self):
        data = super().model_data()
        data.update(year=self.instance.year, date_earliest=self.instance.date_earliest,
                    date_latest=self.instance.date_latest)
        return data


class EstablishmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (code, name)"), required=False)
    place = PlaceChoiceField(label=_("place"), required=False, blank_label=_("All"), none_label=_("No place"))
    sector = forms.ChoiceField(label=_("sector"), required=False)
    cp_potential = forms.ChoiceField(label=_("has CP potential"), choices=YES_NO, required=False)
    applying = forms.ChoiceField(label=_("applying CP"), choices=YES_NO, required=False)
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All"))] + list(Establishment.Status.choices))

    def __init__(self, *args, places, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].load(places)
        self.fields["sector"].choices = [("", _("All"))] + [(s.code, s.name) for s in sectors]


class _RecordFilterForm(forms.Form):
    """The filters shared by the lists of the establishments' records: the year and the place (by lineage)."""

    year = forms.ChoiceField(label=_("year"), required=False)
    place = PlaceChoiceField(label=_("place"), required=False, blank_label=_("All"), none_label=_("No place"))

    def __init__(self, *args, years, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(str(y), str(y)) for y in years]
        self.fields["place"].load(places)


class MeasureFilterForm(_RecordFilterForm):
    q = forms.CharField(label=_("Search (title, establishment)"), required=False)
    category = forms.ChoiceField(label=_("technique"), required=False,
                                 choices=[("", _("All"))] + list(CPMeasure._meta.get_field("category").choices))
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("All"))] + list(CPMeasure._meta.get_field("status").choices))
    field_order = ["q", "category", "status", "year", "place"]


class AssistanceFilterForm(_RecordFilterForm):
    q = forms.CharField(label=_("Search (establishment, description)"), required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("assistance", "kind"), required=False,
                             choices=[("", _("All"))] + list(AssistanceRecord._meta.get_field("kind").choices))
    field_order = ["q", "year", "kind", "place"]


class CloseYearForm(forms.Form):
    """Close a year (administrators): the year, why, and whether its registry is confirmed complete."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    registry_complete = forms.BooleanField(
        label=_("Also confirm the registry of establishments of this year as complete"), required=False)


class ReopenYearForm(forms.Form):
    """Reopen a closed year: the reason is required."""

    reason = forms.CharField(label=_("Why is the year reopened?"), widget=forms.Textarea(attrs={"rows": 2}))
