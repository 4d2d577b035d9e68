from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, kind_choices
from .services import admin_only_problem, max_bytes, size_problem

ACCEPTED = (".csv", ".xlsx")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"), choices=kind_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon) or Excel .xlsx, the first row holding the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The menu offers only the kinds this user may import (the administrators' kinds to administrators);
        # a kind sent anyway is refused with its message by `clean_kind`.
        self.fields["kind"].widget.choices = [(key, label) for key, label in kind_choices()
                                              if admin_only_problem(KINDS[key], user) is None]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        problem = admin_only_problem(KINDS[kind], self.user)
        if problem:
            raise forms.ValidationError(problem)
        return kind

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(ACCEPTED):
            if name.endswith(".xls"):
                raise forms.ValidationError(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or "
                                              ".csv and upload it again."))
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    @staticmethod
    def max_mb():
        return f"{max_bytes() / 1048576:.1f}".removesuffix(".0")


class ConfirmImportForm(forms.Form):
    """The confirmation of an import; the tick is asked only when the preview lists large changes."""

    confirm_large_changes = forms.BooleanField(
        label=_("Yes, these figures are right: import the file."), required=False,
    )
