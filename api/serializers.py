"""What the API says about each record: its stable code (DOMAIN.md) where it has one, never a database id
for a related row that has a code (an establishment's place and sector, a report's establishment, a
resource line's resource, an attendance's event). Records without a code of their own (measures,
assistance, people) carry their id, as the pages' addresses do."""
from rest_framework import serializers

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import ActionPlan, AnnualReport, Publication, ResourceLine, Target
from training.models import Attendance, Event


def code_of(field, source=None):
    return serializers.SlugRelatedField(slug_field=field, read_only=True, source=source)


class PlanSerializer(serializers.ModelSerializer):
    territory = code_of("code")

    class Meta:
        model = ActionPlan
        fields = ["decision_number", "title", "title_en", "issuer", "date_issued", "level", "start_year",
                  "end_year", "status", "territory", "notes", "notes_en"]


class TargetSerializer(serializers.ModelSerializer):
    plan = code_of("decision_number")

    class Meta:
        model = Target
        fields = ["plan", "indicator_code", "description", "description_en", "low", "high", "unit",
                  "deadline_year", "note", "note_en"]


class PublicationSerializer(serializers.ModelSerializer):
    """A publication of the dashboard as it was stored: its figures never change (`indicators.publications`)."""

    plan = code_of("decision_number")

    class Meta:
        model = Publication
        fields = ["id", "plan", "year", "number", "published_at", "fingerprint", "code_version", "figures"]


class EstablishmentSerializer(serializers.ModelSerializer):
    place = code_of("code")
    sector = code_of("code")

    class Meta:
        model = Establishment
        fields = ["code", "name", "legal_form", "parent_organisation", "place", "sector", "address",
                  "main_products", "employees", "technical_staff", "cp_potential", "cp_potential_assessed_on",
                  "baseline_year", "established_year", "status", "closed_year"]


class ResourceLineSerializer(serializers.ModelSerializer):
    resource = code_of("code", source="resource_type")
    unit = serializers.CharField(source="resource_type.unit", read_only=True)

    class Meta:
        model = ResourceLine
        fields = ["resource", "quantity", "unit"]


class AnnualReportSerializer(serializers.ModelSerializer):
    establishment = code_of("code")
    lines = ResourceLineSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReport
        fields = ["establishment", "year", "product", "product_unit", "output", "state", "notes", "lines"]


class MeasureSerializer(serializers.ModelSerializer):
    establishment = code_of("code")

    class Meta:
        model = CPMeasure
        fields = ["id", "establishment", "title", "category", "status", "year", "year_earliest", "year_latest",
                  "investment_vnd", "expected_savings_vnd", "achieved_savings_vnd", "savings_note",
                  "environmental_benefit", "wastewater_capacity_m3_day", "description"]


class AssistanceSerializer(serializers.ModelSerializer):
    establishment = code_of("code")
    support_group = code_of("name")

    class Meta:
        model = AssistanceRecord
        fields = ["id", "establishment", "year", "date", "date_earliest", "date_latest", "kind", "support_group",
                  "staff_involved", "funding_source", "amount_vnd", "description", "outcome"]


class EventSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="place", read_only=True)
    participants = serializers.IntegerField(source="n_attendees", read_only=True)
    completed = serializers.IntegerField(source="n_completed", read_only=True)

    class Meta:
        model = Event
        fields = ["code", "title", "kind", "start_date", "end_date", "venue", "organiser", "topic",
                  "audience_reached", "participants", "completed"]


class AttendanceSerializer(serializers.ModelSerializer):
    event = code_of("code")
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    category = serializers.CharField(source="person.category", read_only=True)
    gender = serializers.CharField(source="person.gender", read_only=True)
    organisation = serializers.CharField(source="person.organisation", read_only=True)
    establishment = serializers.SlugRelatedField(slug_field="code", source="person.establishment", read_only=True)

    class Meta:
        model = Attendance
        fields = ["event", "person", "name", "category", "gender", "organisation", "establishment", "completed"]


class IndicatorSerializer(serializers.Serializer):
    """One indicator of `progress --format json` (indicators.exports.JSON_KEYS and JSON_ONLY_KEYS)."""

    code = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(allow_null=True)
    target_low = serializers.FloatField(allow_null=True)
    target_high = serializers.FloatField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    deadline = serializers.IntegerField(allow_null=True)
    reported = serializers.JSONField(allow_null=True)
    coverage = serializers.JSONField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    """For the schema only: the view returns `indicators.exports.progress_document` as it is."""

    plan = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    indicators = IndicatorSerializer(many=True)
