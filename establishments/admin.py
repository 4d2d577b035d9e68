from django.contrib import admin

from kontum_cp.admin_site import PortalHistoryAdmin, PortalTabularInline

from .models import AssistanceRecord, CPMeasure, Establishment, Place, Sector, SupportGroup


class EstablishmentRecordAdmin(PortalHistoryAdmin):
    """The admin of records that belong to an establishment (here, in `indicators` and `training`): the
    establishment is chosen by searching its code or name, and the list loads it with each row."""

    list_select_related = ["establishment"]
    autocomplete_fields = ["establishment"]


@admin.register(Place)
class PlaceAdmin(PortalHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Sector)
class SectorAdmin(PortalHistoryAdmin):
    list_display = ["code", "name_vi", "name_en"]
    search_fields = ["code", "name_vi", "name_en"]


class CPMeasureInline(PortalTabularInline):
    model = CPMeasure
    extra = 0
    fields = ["title", "category", "status", "year", "investment_vnd"]
    show_change_link = True


class AssistanceInline(PortalTabularInline):
    model = AssistanceRecord
    extra = 0
    fields = ["year", "date", "kind", "support_group", "amount_vnd"]
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
    list_display = ["title", "establishment", "category", "status", "year", "investment_vnd"]
    list_filter = ["category", "status", "year"]
    search_fields = ["title", "establishment__code", "establishment__name"]


@admin.register(SupportGroup)
class SupportGroupAdmin(PortalHistoryAdmin):
    list_display = ["name", "parent_organisation", "established_on"]
    search_fields = ["name"]


@admin.register(AssistanceRecord)
class AssistanceRecordAdmin(EstablishmentRecordAdmin):
    list_display = ["establishment", "year", "date", "kind", "support_group", "amount_vnd"]
    list_filter = ["kind", "year", "support_group"]
    search_fields = ["establishment__code", "establishment__name", "description", "outcome"]
    list_select_related = ["establishment", "support_group"]
