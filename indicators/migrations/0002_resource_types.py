"""Resource types with their factors to the common unit (DOMAIN.md)."""
from decimal import Decimal

from django.db import migrations

RESOURCE_TYPES = [
    # code, name_vi, name_en, category, unit, factor, source
    ("electricity", "Điện", "Electricity", "energy", "kWh", "0.0036", "Definition of the kWh (final energy)"),
    ("coal", "Than", "Coal", "energy", "t", "26.7", "IPCC 2006 default net calorific value, anthracite"),
    ("diesel", "Dầu diesel", "Diesel oil", "energy", "L", "0.0361", "IPCC 2006 gas/diesel oil 43.0 GJ/t × 0.84 kg/L"),
    ("fuel_oil", "Dầu FO", "Fuel oil", "energy", "L", "0.0380", "IPCC 2006 residual fuel oil 40.4 GJ/t × 0.94 kg/L"),
    ("lpg", "Khí hóa lỏng (LPG)", "LPG", "energy", "kg", "0.0473", "IPCC 2006 LPG 47.3 GJ/t"),
    ("firewood", "Củi", "Firewood", "energy", "t", "15.6", "IPCC 2006 wood/wood waste"),
    ("biomass", "Sinh khối", "Biomass", "energy", "t", "11.6", "IPCC 2006 other primary solid biomass"),
    ("biogas", "Khí sinh học (biogas)", "Biogas", "energy", "m³", "0.0215",
     "About 60% methane × 35.8 MJ/m³ (estimate)"),
    ("cassava_roots", "Củ sắn tươi", "Fresh cassava roots", "material", "t", "1", ""),
    ("field_latex", "Mủ nước", "Field latex", "material", "t", "1", ""),
    ("cup_lump", "Mủ tạp (mủ đông)", "Cup lump", "material", "t", "1", ""),
    ("chemicals", "Hóa chất", "Chemicals", "material", "kg", "0.001", ""),
    ("other_material", "Nguyên liệu khác", "Other material", "material", "t", "1", ""),
    ("water", "Nước", "Water", "water", "m³", "1", ""),
]


def load(apps, schema_editor):
    ResourceType = apps.get_model("indicators", "ResourceType")
    for code, name_vi, name_en, category, unit, factor, source in RESOURCE_TYPES:
        ResourceType.objects.update_or_create(
            code=code,
            defaults={"name_vi": name_vi, "name_en": name_en, "category": category, "unit": unit,
                      "factor": Decimal(factor), "factor_source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
