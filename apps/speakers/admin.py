"""The editorial admin for speakers: profile, aliases inline, merge with a confirmation page."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from apps.quotes.extraction.names import normalise_name
from apps.speakers.merge import speaker_alias_add, speaker_merge
from apps.speakers.models import Speaker, SpeakerAlias


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
    list_display = ["name", "kind", "role", "organisation", "country", "alias_list", "quote_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases__name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "role", "organisation", "country", "description"]
    inlines = [SpeakerAliasInline]
    ordering = ["name"]
    actions = ["merge_speakers"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True))
            .prefetch_related("aliases")
        )

    @admin.display(description="Aliases")
    def alias_list(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all())

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
