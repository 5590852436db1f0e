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
