from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from apps.articles.models import Outlet
from apps.quotes.models import Quote, Report, Topic
from apps.speakers.models import Speaker


class QuickSelect(forms.Select):
    """A <select> built in Python, its model choices read as (key, name) rows: rendering a few
    hundred speakers through Django's option template costs more than all of a page's queries.
    """

    def _options(self):
        if isinstance(self.choices, ModelChoiceIterator):
            field = self.choices.field
            if field.empty_label is not None:
                yield "", field.empty_label
            yield from field.queryset.values_list(field.to_field_name or "pk", "name")
        else:
            yield from self.choices

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in selected else ""}>'
            f"{escape(label)}</option>"
            for key, label in self._options()
        )
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(attrs),
            mark_safe(options),  # noqa: S308 - escaped above
        )


class QuoteFilterForm(forms.Form):
    """The filters shared by search, speaker, topic pages and the exports (all GET, all optional).

    URL parameters: ``q``, ``speaker`` (slug), ``topic`` (slug), ``outlet`` (id), ``from``,
    ``to`` (YYYY-MM-DD), ``kind``, ``status``.
    """

    q = forms.CharField(
        label="Words",
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "e.g. sanctions, “New START”, -Syria"}),
    )
    speaker = forms.ModelChoiceField(
        Speaker.objects.only("id", "slug", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any speaker",
        widget=QuickSelect,
    )
    topic = forms.ModelChoiceField(
        Topic.objects.only("id", "slug", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any topic",
        widget=QuickSelect,
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.only("id", "name"),
        required=False,
        empty_label="Any outlet",
        widget=QuickSelect,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *Quote.Kind.choices], required=False, widget=QuickSelect
    )
    status = forms.ChoiceField(
        label="Review",
        choices=[("", "Any review status"), *Quote.Status.choices],
        required=False,
        widget=QuickSelect,
    )

    # URL parameter names differ from field names where the field name would shadow a keyword.
    param_names = {"date_from": "from", "date_to": "to"}

    def __init__(self, data=None, *, exclude=(), **kwargs):
        super().__init__(data, **kwargs)
        for name in exclude:
            del self.fields[name]

    def add_prefix(self, field_name):
        return self.param_names.get(field_name, field_name)

    @property
    def filters(self) -> dict:
        """Cleaned filters; invalid values are dropped rather than failing the page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool({k: v for k, v in self.filters.items() if k != "q"})


class ReportForm(forms.ModelForm):
    # A field people cannot see: bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = ["suggested_speaker", "message"]
        labels = {
            "suggested_speaker": "Who really said it? (optional)",
            "message": "What is wrong?",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
