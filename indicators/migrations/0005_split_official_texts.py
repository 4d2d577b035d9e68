"""Split the official texts written "Vietnamese (English)" in one field into the field and its `_en` field.

Only rows that still hold the text of the former official fixture change (the fixture itself is split the same
way), so `loaddata kontum_2009_2018` keeps matching them by their natural keys afterwards.
"""
from django.db import migrations

# model -> [(field, former text, {field: new text, ...}), ...]
SPLITS = {'actionplan': [('title',
                 'Kế hoạch hành động thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp tỉnh Kon Tum đến năm '
                 '2020',
                 {'title_en': 'Action Plan on implementation of the Cleaner Production Strategy in industry in Kon '
                              'Tum province up to 2020'}),
                ('notes',
                 'Action Plan on implementation of the Cleaner Production Strategy in industry up to 2020 (Kon Tum '
                 "Provincial People's Committee). Targets as quoted in the 2018 report; the decision number and "
                 'date come from a public legal-document database (the report gives none).',
                 {'notes': 'Kế hoạch hành động thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp đến năm '
                           '2020 của Ủy ban nhân dân tỉnh Kon Tum. Các mục tiêu ghi theo báo cáo năm 2018; số và '
                           'ngày của quyết định lấy từ cơ sở dữ liệu văn bản pháp luật công khai (báo cáo không '
                           'nêu).',
                  'notes_en': 'Action Plan on implementation of the Cleaner Production Strategy in industry up to '
                              "2020 (Kon Tum Provincial People's Committee). Targets as quoted in the 2018 report; "
                              'the decision number and date come from a public legal-document database (the report '
                              'gives none).'}),
                ('title',
                 'Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020',
                 {'title_en': 'Strategy on cleaner production in industry to 2020'}),
                ('notes',
                 'National Strategy on cleaner production in industry to 2020. Succeeded by the national programme '
                 'on sustainable production and consumption 2021–2030 (Decision 889/QĐ-TTg of 24/06/2020).',
                 {'notes': 'Chiến lược sản xuất sạch hơn trong công nghiệp đến năm 2020 (cấp quốc gia). Kế tiếp là '
                           'Chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững giai đoạn 2021–2030 '
                           '(Quyết định 889/QĐ-TTg ngày 24/06/2020).',
                  'notes_en': 'National Strategy on cleaner production in industry to 2020. Succeeded by the '
                              'national programme on sustainable production and consumption 2021–2030 (Decision '
                              '889/QĐ-TTg of 24/06/2020).'})],
 'target': [('description',
             '15% cơ sở sản xuất công nghiệp có tiềm năng áp dụng SXSH thực hiện các giải pháp SXSH (15% of '
             'industrial establishments with CP potential carry out CP solutions)',
             {'description': '15% cơ sở sản xuất công nghiệp có tiềm năng áp dụng SXSH thực hiện các giải pháp '
                             'SXSH',
              'description_en': '15% of industrial establishments with CP potential carry out CP solutions'}),
            ('description',
             'Giảm 5–8% tiêu thụ năng lượng, nhiên liệu trên đơn vị sản phẩm (reduce energy and fuel consumption '
             'by 5–8% per unit of product)',
             {'description': 'Giảm 5–8% tiêu thụ năng lượng, nhiên liệu trên đơn vị sản phẩm',
              'description_en': 'Reduce energy and fuel consumption by 5–8% per unit of product'}),
            ('description',
             'Giảm 5–8% tiêu thụ nguyên vật liệu trên đơn vị sản phẩm (reduce material consumption by 5–8% per '
             'unit of product)',
             {'description': 'Giảm 5–8% tiêu thụ nguyên vật liệu trên đơn vị sản phẩm',
              'description_en': 'Reduce material consumption by 5–8% per unit of product'}),
            ('description',
             '100% cán bộ các sở, ngành, huyện liên quan được phổ biến về SXSH (100% of employees of relevant '
             'departments and districts disseminated on CP)',
             {'description': '100% cán bộ các sở, ngành, huyện liên quan được phổ biến về SXSH',
              'description_en': '100% of employees of relevant departments and districts disseminated on CP'}),
            ('description',
             '50% cán bộ phụ trách SXSH được đào tạo, có khả năng hướng dẫn cơ sở áp dụng SXSH (50% of staff '
             'responsible for CP trained and capable of guiding establishments)',
             {'description': '50% cán bộ phụ trách SXSH được đào tạo, có khả năng hướng dẫn cơ sở áp dụng SXSH',
              'description_en': '50% of staff responsible for CP trained and capable of guiding establishments'}),
            ('description',
             '25% cán bộ kỹ thuật của cơ sở sản xuất công nghiệp được đào tạo về SXSH (25% of technical staff of '
             'industrial establishments trained on CP)',
             {'description': '25% cán bộ kỹ thuật của cơ sở sản xuất công nghiệp được đào tạo về SXSH',
              'description_en': '25% of technical staff of industrial establishments trained on CP'}),
            ('description',
             'Cơ sở sản xuất công nghiệp nhận thức được lợi ích của SXSH (industrial establishments aware of CP '
             'benefits)',
             {'description': 'Cơ sở sản xuất công nghiệp nhận thức được lợi ích của SXSH',
              'description_en': 'Industrial establishments aware of CP benefits'}),
            ('description',
             'Cơ sở sản xuất công nghiệp áp dụng SXSH (establishments applying CP)',
             {'description': 'Cơ sở sản xuất công nghiệp áp dụng SXSH',
              'description_en': 'Establishments applying CP'}),
            ('description',
             'Tiết kiệm năng lượng, nguyên liệu, nhiên liệu trên đơn vị sản phẩm (saving of energy, materials, '
             'fuels per unit of product)',
             {'description': 'Tiết kiệm năng lượng, nguyên liệu, nhiên liệu trên đơn vị sản phẩm',
              'description_en': 'Saving of energy, materials, fuels per unit of product'}),
            ('description',
             'Sở Công Thương có cán bộ chuyên trách đủ năng lực hướng dẫn áp dụng SXSH (Departments of Industry '
             'and Trade with staff able to guide CP)',
             {'description': 'Sở Công Thương có cán bộ chuyên trách đủ năng lực hướng dẫn áp dụng SXSH',
              'description_en': 'Departments of Industry and Trade with staff able to guide CP'}),
            ('description',
             'Doanh nghiệp vừa và lớn có bộ phận chuyên trách về SXSH (medium and large enterprises with a CP '
             'unit)',
             {'description': 'Doanh nghiệp vừa và lớn có bộ phận chuyên trách về SXSH',
              'description_en': 'Medium and large enterprises with a CP unit'})],
 'reportedvalue': [('source_document',
                    'Kết quả thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp giai đoạn 2009–2018 tỉnh Kon '
                    'Tum (Results of the implementation of the Cleaner Production Strategy in industry from '
                    '2009-2018 in Kon Tum Province), Office of Cleaner Production and Sustainable Production and '
                    'Consumption, 27/09/2018',
                    {'source_document': 'Kết quả thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp giai '
                                        'đoạn 2009–2018 tỉnh Kon Tum, Văn phòng Sản xuất sạch hơn và Sản xuất và '
                                        'tiêu dùng bền vững, 27/09/2018',
                     'source_document_en': 'Results of the implementation of the Cleaner Production Strategy in '
                                           'industry from 2009-2018 in Kon Tum Province, Office of Cleaner '
                                           'Production and Sustainable Production and Consumption, 27/09/2018'}),
                   ('source_quote',
                    '70% of industrial manufacturing establishments having potential for cleaner production '
                    'application in the province were disseminated on cleaner production and aware of benefits of '
                    'the application of cleaner production in industry',
                    {'source_quote': '70% cơ sở sản xuất công nghiệp có tiềm năng áp dụng sản xuất sạch hơn trên '
                                     'địa bàn tỉnh đã được tuyên truyền, phổ biến về sản xuất sạch hơn và nhận '
                                     'thức được lợi ích của việc áp dụng sản xuất sạch hơn trong công nghiệp',
                     'source_quote_en': '70% of industrial manufacturing establishments having potential for '
                                        'cleaner production application in the province were disseminated on '
                                        'cleaner production and aware of benefits of the application of cleaner '
                                        'production in industry'}),
                   ('source_quote',
                    "Kon Tum Provincial People's Committee gave technical support on cleaner production "
                    'application to 10 enterprises in the period from 2015 to 2017.',
                    {'source_quote': 'Ủy ban nhân dân tỉnh Kon Tum đã hỗ trợ kỹ thuật áp dụng sản xuất sạch hơn '
                                     'cho 10 doanh nghiệp trong giai đoạn 2015–2017.',
                     'source_quote_en': "Kon Tum Provincial People's Committee gave technical support on cleaner "
                                        'production application to 10 enterprises in the period from 2015 to '
                                        '2017.'})]}


def _apply(apps, forward):
    for model_name, rows in SPLITS.items():
        model = apps.get_model("indicators", model_name)
        for field, former, new in rows:
            if forward:
                model.objects.filter(**{field: former}).update(**new)
            elif field in new:
                model.objects.filter(**{field: new[field]}).update(**{field: former})


def split(apps, schema_editor):
    _apply(apps, forward=True)


def join(apps, schema_editor):
    _apply(apps, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0004_english_texts"),
    ]

    operations = [
        migrations.RunPython(split, join),
    ]
