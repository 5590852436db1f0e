from django import forms


class IngestForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the article; its first line is the title unless you give one below.",
    )
    title = forms.CharField(label="Title", required=False, max_length=1000)
    url = forms.URLField(label="URL", required=False, max_length=2000, assume_scheme="https")
    outlet = forms.CharField(label="Outlet", required=False, max_length=200)
    published = forms.DateField(
        label="Date published",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="YYYY-MM-DD. Title, URL, outlet and date, when given, apply to an upload too.",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="A .txt, .html, .htm, .json or .jsonl file.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Paste an article's text or choose a file.")
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError("Paste text or upload a file, not both.")
        return data


class ArticleFilterForm(forms.Form):
    """The articles list's filters (all GET, all optional)."""

    q = forms.CharField(label="Title", required=False, max_length=200)
    outlet = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any outlet", to_field_name="pk"
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dated = forms.ChoiceField(
        label="Date",
        required=False,
        choices=[("", "Dated or not"), ("yes", "Dated only"), ("no", "Date unknown only")],
    )

    param_names = {"date_from": "from", "date_to": "to"}  # as the quote filters' URLs

    def __init__(self, *args, **kwargs):
        from apps.articles.models import Outlet

        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Outlet.objects.only("id", "name")

    def add_prefix(self, field_name):
        return self.param_names.get(field_name, field_name)

    @property
    def filters(self) -> dict:
        """Cleaned filters; invalid values are dropped rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
