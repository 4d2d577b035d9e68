"""Places (statistical codes) and sectors of DOMAIN.md.

The ten units of Kon Tum province existed until 30/06/2025; from 01/07/2025
Kon Tum merged into Quảng Ngãi province and districts were abolished
(Resolution 202/2025/QH15). Rows are kept so that history keeps its places.
"""
import datetime

from django.db import migrations

END_OF_DISTRICTS = datetime.date(2025, 6, 30)
NEW_PROVINCE_FROM = datetime.date(2025, 7, 1)

PLACES = [
    ("608", "Thành phố Kon Tum", "Kon Tum city", "city"),
    ("610", "Huyện Đắk Glei", "Dak Glei district", "district"),
    ("611", "Huyện Ngọc Hồi", "Ngoc Hoi district", "district"),
    ("612", "Huyện Đắk Tô", "Dak To district", "district"),
    ("613", "Huyện Kon Plông", "Kon Plong district", "district"),
    ("614", "Huyện Kon Rẫy", "Kon Ray district", "district"),
    ("615", "Huyện Đắk Hà", "Dak Ha district", "district"),
    ("616", "Huyện Sa Thầy", "Sa Thay district", "district"),
    ("617", "Huyện Tu Mơ Rông", "Tu Mo Rong district", "district"),
    ("618", "Huyện Ia H'Drai", "Ia H'Drai district", "district"),
]

SECTORS = [
    ("tapioca_starch", "Chế biến tinh bột sắn", "Tapioca starch"),
    ("rubber_latex", "Chế biến mủ cao su", "Natural rubber latex processing"),
    ("construction_materials", "Xây dựng, vật liệu xây dựng", "Construction and construction materials"),
    ("food_processing", "Chế biến thực phẩm", "Food processing"),
    ("wood_processing", "Chế biến gỗ", "Wood processing"),
    ("cooperative_other", "Hợp tác xã, ngành khác", "Cooperatives, other trades"),
    ("other", "Khác", "Other"),
]


def load(apps, schema_editor):
    Place = apps.get_model("establishments", "Place")
    Sector = apps.get_model("establishments", "Sector")
    province, _ = Place.objects.update_or_create(
        code="62",
        defaults={"name_vi": "Tỉnh Kon Tum", "name_en": "Kon Tum province", "level": "province",
                  "valid_to": END_OF_DISTRICTS},
    )
    for code, name_vi, name_en, level in PLACES:
        Place.objects.update_or_create(
            code=code,
            defaults={"name_vi": name_vi, "name_en": name_en, "level": level, "parent": province,
                      "valid_to": END_OF_DISTRICTS},
        )
    Place.objects.update_or_create(
        code="51",
        defaults={"name_vi": "Tỉnh Quảng Ngãi", "name_en": "Quang Ngai province", "level": "province",
                  "valid_from": NEW_PROVINCE_FROM},
    )
    for code, name_vi, name_en in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("establishments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
