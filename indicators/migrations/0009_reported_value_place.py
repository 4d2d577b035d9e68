import django.db.models.deletion
from django.db import migrations, models

HELP = ("The place the figure describes (e.g. the province). Every plan whose territory covers it shows it, "
        "judged against that plan's own target.")


def plan_to_place(apps, schema_editor):
    """Each reported value describes its plan's territory (plan 835: Kon Tum province, 62); a value without a
    plan, or whose plan has no territory, keeps no place (it shows under plans without a territory only)."""
    ReportedValue = apps.get_model("indicators", "ReportedValue")
    for value in ReportedValue.objects.filter(plan__territory__isnull=False).select_related("plan"):
        value.place_id = value.plan.territory_id
        value.save(update_fields=["place"])


def place_to_plan(apps, schema_editor):
    """Backwards: the first plan (by id) whose territory is the value's place."""
    ReportedValue = apps.get_model("indicators", "ReportedValue")
    ActionPlan = apps.get_model("indicators", "ActionPlan")
    for value in ReportedValue.objects.filter(place__isnull=False):
        value.plan = ActionPlan.objects.filter(territory_id=value.place_id).order_by("pk").first()
        value.save(update_fields=["plan"])


class Migration(migrations.Migration):

    dependencies = [
        ('establishments', '0008_place_history'),
        ('indicators', '0008_target_note'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportedvalue',
            name='place',
            field=models.ForeignKey(blank=True, help_text=HELP, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reported_values', to='establishments.place', verbose_name='place'),
        ),
        migrations.AddField(
            model_name='historicalreportedvalue',
            name='place',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text=HELP, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='establishments.place', verbose_name='place'),
        ),
        migrations.RunPython(plan_to_place, place_to_plan),
        migrations.RemoveField(
            model_name='historicalreportedvalue',
            name='plan',
        ),
        migrations.RemoveField(
            model_name='reportedvalue',
            name='plan',
        ),
    ]
