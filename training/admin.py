from django.contrib import admin

from establishments.admin import EstablishmentRecordAdmin
from kontum_cp.admin_site import PortalHistoryAdmin, PortalTabularInline

from .models import Attendance, Event, Person, StaffHeadcount


class AttendanceInline(PortalTabularInline):
    model = Attendance
    extra = 1
    autocomplete_fields = ["person"]


@admin.register(Event)
class EventAdmin(PortalHistoryAdmin):
    list_display = ["code", "title", "kind", "start_date", "end_date", "organiser"]
    list_filter = ["kind", "start_date"]
    search_fields = ["code", "title", "topic", "organiser"]
    date_hierarchy = "start_date"
    inlines = [AttendanceInline]


@admin.register(Person)
class PersonAdmin(EstablishmentRecordAdmin):
    list_display = ["name", "category", "organisation", "establishment", "gender"]
    list_filter = ["category", "gender"]
    search_fields = ["name", "organisation", "establishment__code"]


@admin.register(Attendance)
class AttendanceAdmin(PortalHistoryAdmin):
    list_display = ["event", "person", "completed"]
    list_filter = ["completed", "event__kind"]
    search_fields = ["person__name", "event__code", "event__title"]
    autocomplete_fields = ["event", "person"]


@admin.register(StaffHeadcount)
class StaffHeadcountAdmin(PortalHistoryAdmin):
    list_display = ["year", "category", "headcount", "note"]
    list_filter = ["category", "year"]
