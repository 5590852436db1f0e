"""The editorial admin for speakers: profile, aliases inline, merge with a confirmation page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from apps.quotes.extraction.names import normalise_name
from apps.speakers.merge import speaker_alias_add, speaker_merge, speaker_to_keep
from apps.speakers.models import Speaker, SpeakerAlias

_SAME_SURNAME = Speaker.objects.filter(
    kind=Speaker.Kind.PERSON, surname=OuterRef("surname")
).exclude(pk=OuterRef("pk"))


class PossibleDuplicateFilter(admin.SimpleListFilter):
    """People sharing a surname with another: 'Putin' beside 'Vladimir Putin' when the registry
    could not tell (two people of that surname), left for an editor to merge or keep apart."""

    title = "possible duplicates"
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("yes", "Shares a surname with another speaker")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(surname="").filter(Exists(_SAME_SURNAME)).order_by("surname")
        return queryset


class SpeakerAliasForm(forms.ModelForm):
    """Computes the normalised key and refuses a spelling that already names someone."""

    class Meta:
        model = SpeakerAlias
        fields = ["name"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        normalised = normalise_name(name)
        if not normalised:
            raise ValidationError("An alias needs at least one letter or digit.")
        clash = (
            SpeakerAlias.objects.filter(normalised=normalised)
            .exclude(pk=self.instance.pk)
            .select_related("speaker")
            .first()
        )
        if clash is not None:
            raise ValidationError(f"“{clash.name}” already names {clash.speaker}.")
        self.instance.normalised = normalised
        return name


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    form = SpeakerAliasForm
    fields = ["name", "normalised"]
    readonly_fields = ["normalised"]
    extra = 1
    verbose_name = "alias"
    verbose_name_plural = "aliases (every spelling extraction should recognise)"


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    search_fields = ["name", "aliases__name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    list_display = [
        "name",
        "kind",
        "role",
        "organisation",
        "alias_list",
        "quote_count",
        "possible_duplicates",
    ]
    list_filter = [PossibleDuplicateFilter, "kind", "country"]
    fields = [
        "name",
        "slug",
        "kind",
        "role",
        "role_stated_on",
        "organisation",
        "country",
        "wikidata_id",
        "description",
    ]
    inlines = [SpeakerAliasInline]
    ordering = ["name"]
    actions = ["merge_speakers"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        # Each person's namesakes (other people of the same surname) with their quote counts,
        # in the same query: the "possible duplicates" column and its merge buttons.
        quotes_of = (
            Speaker.objects.filter(pk=OuterRef("pk")).annotate(n=Count("quotes")).values("n")
        )
        namesakes = ArraySubquery(
            _SAME_SURNAME.exclude(surname="")
            .order_by("name")
            .values(json=JSONObject(id="pk", name="name", n=Coalesce(Subquery(quotes_of), 0)))
        )
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True), namesakes=namesakes)
            .prefetch_related("aliases")
        )

    def get_list_display(self, request):
        """Editors who may merge get a merge button per namesake; others their names."""
        if self.has_merge_permission(request):
            return self.list_display
        return [c if c != "possible_duplicates" else "namesake_names" for c in self.list_display]

    @admin.display(description="Aliases")
    def alias_list(self, obj):
        return ", ".join(
            f"{alias.name} (capital)" if alias.is_capital else alias.name
            for alias in obj.aliases.all()
        )

    @admin.display(description="Possible duplicates")
    def namesake_names(self, obj):
        return ", ".join(other["name"] for other in obj.namesakes or ())

    @admin.display(description="Possible duplicates")
    def possible_duplicates(self, obj):
        """Each other person of the same surname, with a one-click merge that keeps whichever
        of the two has more quotes."""
        rows = []
        for other in obj.namesakes or ():
            keep_other = (other["n"], -other["id"]) > (obj.quote_count, -obj.pk)  # as merged
            keep, drop = (other["name"], obj.name) if keep_other else (obj.name, other["name"])
            rows.append(
                (
                    reverse("admin:speakers_speaker_merge_pair", args=[obj.pk, other["id"]]),
                    keep,
                    drop,
                    other["name"],
                )
            )
        return format_html_join(
            " ",
            '<button type="submit" class="button merge-pair" formmethod="post" '
            'formaction="{}" title="Keeps {} (more quotes) and merges {} into it">'
            "Merge with {}</button>",
            rows,
        )

    @staticmethod
    def _keep_and_drop(a: Speaker, b: Speaker) -> tuple[Speaker, Speaker]:
        keep = speaker_to_keep([a, b])
        return keep, (b if keep is a else a)

    def get_urls(self):
        urls = [
            path(
                "merge/<int:a>/<int:b>/",
                self.admin_site.admin_view(self.merge_pair_view),
                name="speakers_speaker_merge_pair",
            )
        ]
        return urls + super().get_urls()

    def merge_pair_view(self, request, a, b):
        """One click: merge two speakers, keeping the one with more quotes."""
        return require_POST(self._merge_pair)(request, a, b)

    def _merge_pair(self, request, a, b):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        pair = list(Speaker.objects.filter(pk__in=[a, b]).annotate(quote_count=Count("quotes")))
        if len(pair) != 2:
            get_object_or_404(Speaker, pk=-1)
        keep, drop = self._keep_and_drop(*pair)
        speaker_merge(source=drop, target=keep, user=request.user)
        self.message_user(
            request, f"Merged {drop.name} into {keep.name} (kept: more quotes).", messages.SUCCESS
        )
        return redirect(request.POST.get("next") or reverse("admin:speakers_speaker_changelist"))

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The canonical name is itself a spelling the extractor must recognise.
        speaker = form.instance
        try:
            speaker_alias_add(speaker=speaker, name=speaker.name, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.WARNING)

    def has_merge_permission(self, request):
        opts = self.opts
        return request.user.has_perms(
            [
                f"{opts.app_label}.change_{opts.model_name}",
                f"{opts.app_label}.delete_{opts.model_name}",
            ]
        )

    @admin.action(description="Merge the selected speakers into one…", permissions=["merge"])
    def merge_speakers(self, request, queryset):
        speakers = list(queryset.annotate(quote_count=Count("quotes")).prefetch_related("aliases"))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return None
        target_id = request.POST.get("target")
        if request.POST.get("post") == "yes" and target_id:
            target = next((s for s in speakers if str(s.pk) == target_id), None)
            if target is None:
                self.message_user(request, "Pick the speaker to keep.", messages.ERROR)
            else:
                names = []
                for source in speakers:
                    if source.pk != target.pk:
                        names.append(source.name)
                        speaker_merge(source=source, target=target, user=request.user)
                self.message_user(
                    request, f"Merged {', '.join(names)} into {target}.", messages.SUCCESS
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "keep": speaker_to_keep(speakers),
            "opts": self.opts,
            "speakers": speakers,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/speakers/speaker/merge.html", context)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    form = SpeakerAliasForm
    list_display = ["name", "speaker", "normalised"]
    search_fields = ["name", "normalised", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]
    fields = ["speaker", "name", "normalised"]
    readonly_fields = ["normalised"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["speaker", "name"]
        return super().get_form(request, obj, change, **kwargs)
