from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from establishments.admin import EstablishmentRecordAdmin
from kontum_cp.admin_site import PortalHistoryAdmin, PortalTabularInline
from kontum_cp.templatetags.portal import unit_label

from .models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target


class TargetInline(PortalTabularInline):
    model = Target
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(PortalHistoryAdmin):
    list_display = ["decision_number", "title", "issuer", "territory", "date_issued", "start_year", "end_year",
                    "status"]
    list_filter = ["level", "status"]
    search_fields = ["decision_number", "title", "issuer"]
    autocomplete_fields = ["territory"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(PortalHistoryAdmin):
    list_display = ["plan", "indicator_code", "low", "high", "unit", "deadline_year"]
    list_filter = ["plan", "indicator_code", "deadline_year"]
    search_fields = ["plan__decision_number", "description"]


@admin.register(ResourceType)
class ResourceTypeAdmin(PortalHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "category", "unit", "factor", "factor_source"]
    list_filter = ["category"]
    search_fields = ["code", "name_vi", "name_en"]


class ResourceLineInline(PortalTabularInline):
    model = ResourceLine
    extra = 1


@admin.register(AnnualReport)
class AnnualReportAdmin(EstablishmentRecordAdmin):
    list_display = ["establishment", "year", "product", "output", "product_unit"]
    list_filter = ["year", "establishment__sector"]
    search_fields = ["establishment__code", "establishment__name", "product"]
    inlines = [ResourceLineInline]


@admin.register(ReportedValue)
class ReportedValueAdmin(PortalHistoryAdmin):
    list_display = ["indicator_code", "place", "period", "value", "unit_shown", "source_document"]
    list_filter = ["indicator_code", "year"]
    list_select_related = ["place"]
    autocomplete_fields = ["place"]
    search_fields = ["source_document", "source_document_en", "source_quote", "source_quote_en"]

    @admin.display(description=_("Period"), ordering="year")
    def period(self, value):
        return value.period_display

    @admin.display(description=_("Unit"), ordering="unit")
    def unit_shown(self, value):
        return unit_label(value.unit)
