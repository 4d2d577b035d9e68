from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontum_cp.admin_site import PortalHistoryAdmin, PortalTabularInline

from .models import (
    AssistanceRecord,
    CPMeasure,
    Department,
    Establishment,
    Place,
    PlaceSuccession,
    RegistryCoverage,
    Sector,
    SupportGroup,
    UserArea,
)


class EstablishmentRecordAdmin(PortalHistoryAdmin):
    """The admin of records that belong to an establishment (here, in `indicators` and `training`): the
    establishment is chosen by searching its code or name, and the list loads it with each row."""

    list_select_related = ["establishment"]
    autocomplete_fields = ["establishment"]


class SuccessorInline(PortalTabularInline):
    """The units that succeeded this one (a merger, a split), with the date and the legal basis."""

    model = PlaceSuccession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = _("succeeded by")
    verbose_name_plural = _("succeeded by")


@admin.register(Place)
class PlaceAdmin(PortalHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name_vi", "name_en"]
    autocomplete_fields = ["parent"]
    inlines = [SuccessorInline]


@admin.register(Sector)
class SectorAdmin(PortalHistoryAdmin):
    list_display = ["code", "name_vi", "name_en"]
    search_fields = ["code", "name_vi", "name_en"]


class CPMeasureInline(PortalTabularInline):
    model = CPMeasure
    extra = 0
    fields = ["title", "category", "status", "year", "year_earliest", "year_latest", "investment_vnd"]
    show_change_link = True


class AssistanceInline(PortalTabularInline):
    model = AssistanceRecord
    extra = 0
    fields = ["year", "date", "date_earliest", "date_latest", "kind", "support_group", "amount_vnd"]
    show_change_link = True


@admin.register(Establishment)
class EstablishmentAdmin(PortalHistoryAdmin):
    list_display = ["code", "name", "sector", "place", "cp_potential", "status", "baseline_year"]
    list_filter = ["cp_potential", "status", "sector", "place", "legal_form"]
    search_fields = ["code", "name", "parent_organisation", "address"]
    list_select_related = ["sector", "place"]
    inlines = [CPMeasureInline, AssistanceInline]


@admin.register(CPMeasure)
class CPMeasureAdmin(EstablishmentRecordAdmin):
    list_display = ["title", "establishment", "category", "status", "when", "investment_vnd"]
    list_filter = ["category", "status", "year"]
    search_fields = ["title", "establishment__code", "establishment__name"]
    fieldsets = [
        (None, {"fields": ["establishment", "title", "category", "status"]}),
        (_("Year"), {"fields": ["year", "year_earliest", "year_latest"],
                     "description": _("An exact year fills only “year”. A year known only roughly leaves it empty "
                                      "and fills the earliest and/or the latest possible year (“by 2018”: only "
                                      "the latest).")}),
        (None, {"fields": ["investment_vnd", "expected_savings_vnd", "achieved_savings_vnd", "savings_note",
                           "environmental_benefit", "wastewater_capacity_m3_day", "description",
                           "description_en"]}),
    ]

    @admin.display(description=_("year"), ordering="year")
    def when(self, obj):
        """The year as known: "2017", "2016–2018", "by 2018"."""
        return obj.year_display or "—"


@admin.register(SupportGroup)
class SupportGroupAdmin(PortalHistoryAdmin):
    list_display = ["name", "parent_organisation", "established_on"]
    search_fields = ["name"]


@admin.register(AssistanceRecord)
class AssistanceRecordAdmin(EstablishmentRecordAdmin):
    list_display = ["establishment", "when", "date", "kind", "support_group", "amount_vnd"]
    list_filter = ["kind", "year", "support_group"]
    search_fields = ["establishment__code", "establishment__name", "description", "outcome"]
    list_select_related = ["establishment", "support_group"]

    @admin.display(description=_("year"), ordering="year")
    def when(self, obj):
        """The year of the date, or the range of years when the date is known only roughly ("by 2018")."""
        return obj.date_display or "—"


@admin.register(RegistryCoverage)
class RegistryCoverageAdmin(PortalHistoryAdmin):
    """Administrators confirm, year by year, that the registry of establishments is complete."""

    list_display = ["year", "complete", "confirmed_by", "confirmed_at", "note"]
    list_filter = ["complete"]
    fields = ["year", "complete", "note", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    list_select_related = ["confirmed_by"]

    def save_model(self, request, obj, form, change):
        # Who confirmed and when come from the request, never from the form.
        if "complete" in form.changed_data or not change:
            obj.set_confirmation(request.user, timezone.now())
        super().save_model(request, obj, form, change)


@admin.register(Department)
class DepartmentAdmin(PortalHistoryAdmin):
    """The Department that runs the portal, one row per name it has had (header, titles, report headings)."""

    list_display = ["name", "province", "valid_from"]
    list_select_related = ["province"]
    fieldsets = [
        (None, {"fields": ["valid_from", "province", "name", "name_en", "short_name", "short_name_en", "logo"]}),
        (_("Report heading and date line"), {"fields": ["governing_body", "governing_body_en", "issuer",
                                                       "issuer_en", "date_place", "date_place_en"]}),
    ]


@admin.register(UserArea)
class UserAreaAdmin(PortalHistoryAdmin):
    """Administrators limit a user to an area: data entry changes only establishments inside it; with
    "reads only inside the area", the establishment pages and lists show only those (establishments.areas)."""

    list_display = ["user", "area_names", "read_only_area"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["places"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("places")

    @admin.display(description=_("area"))
    def area_names(self, obj):
        return ", ".join(str(place) for place in obj.places.all())
