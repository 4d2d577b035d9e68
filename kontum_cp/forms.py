"""Form pieces shared by the apps."""
from django import forms


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version its record had when it was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def expected_version(self):
        """The version the form was opened with (the record's own when the form sent none)."""
        value = self.cleaned_data.get("version")
        return self.instance.version if value is None else value

    def model_data(self):
        """Cleaned values of the model's fields (what a service writes)."""
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}
