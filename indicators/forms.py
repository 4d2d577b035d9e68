"""Forms of the annual production report: the report and its resource rows."""
from django import forms
from django.utils.translation import gettext_lazy as _

from kontum_cp.forms import GroupedDecimalField, VersionedModelForm
from kontum_cp.numbers import grouped

from .models import DUPLICATE_LINE, DUPLICATE_REPORT, AnnualReport

OUTPUT_HELP = _("Quantity of product in the year, in the product unit, e.g. %(example)s")

# Empty resource rows shown without JavaScript (the script adds more).
EMPTY_LINE_ROWS = 4


class AnnualReportForm(VersionedModelForm):
    confirm_large_change = forms.BooleanField(
        label=_("Yes, these figures are right: save the report."), required=False,
    )

    class Meta:
        model = AnnualReport
        fields = ["year", "product", "product_unit", "output", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, establishment, **kwargs):
        self.establishment = establishment
        super().__init__(*args, **kwargs)
        self.fields["output"].help_text = OUTPUT_HELP % {"example": grouped(12500)}
        self.fields["year"].widget.attrs["inputmode"] = "numeric"

    def clean_year(self):
        year = self.cleaned_data["year"]
        self.refuse_clash(DUPLICATE_REPORT, establishment=self.establishment, year=year)
        return year


class ResourceLineForm(forms.Form):
    resource_type = forms.TypedChoiceField(label=_("resource"), coerce=int, required=False, empty_value=None)
    quantity = GroupedDecimalField(label=_("quantity"), required=False, min_value=0, max_digits=18, decimal_places=3)

    def __init__(self, *args, resource_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource_type"].choices = [("", "—")] + list(resource_choices)

    def clean(self):
        data = super().clean()
        has_type = data.get("resource_type") is not None
        has_quantity = data.get("quantity") is not None
        if has_type and not has_quantity and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter the quantity used."))
        if has_quantity and not has_type:
            self.add_error("resource_type", _("Choose the resource."))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            type_id = form.cleaned_data.get("resource_type")
            if type_id is None:
                continue
            if type_id in seen:
                form.add_error("resource_type", DUPLICATE_LINE)
            seen.add(type_id)

    def lines(self):
        """[(resource_type_id, quantity)] of the filled rows."""
        return [
            (f.cleaned_data["resource_type"], f.cleaned_data["quantity"])
            for f in self.forms
            if f.cleaned_data.get("resource_type") is not None
        ]


ResourceLineFormSet = forms.formset_factory(ResourceLineForm, formset=BaseLineFormSet, extra=EMPTY_LINE_ROWS,
                                            max_num=60, validate_max=True)


def line_formset(data=None, *, resource_choices, report=None):
    """The rows of a report form: its current lines, then empty rows."""
    initial = []
    if report is not None and report.pk:
        initial = [{"resource_type": ln.resource_type_id, "quantity": ln.quantity} for ln in report.lines.all()]
    return ResourceLineFormSet(data, initial=initial, prefix="lines",
                               form_kwargs={"resource_choices": resource_choices})
