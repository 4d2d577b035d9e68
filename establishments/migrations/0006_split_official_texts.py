"""Split the official texts written "Vietnamese (English)" in one field into the field and its `_en` field.

Only rows that still hold the text of the former official fixture change (the fixture itself is split the same
way), so `loaddata kontum_2009_2018` keeps matching them by their natural keys afterwards.
"""
from django.db import migrations

# model -> [(field, former text, {field: new text, ...}), ...]
SPLITS = {'supportgroup': [('tasks',
                   'Hỗ trợ doanh nghiệp trên địa bàn tỉnh áp dụng SXSH; tham mưu Sở Công Thương đề xuất Bộ Công '
                   'Thương và UBND tỉnh bố trí kinh phí thực hiện các nhiệm vụ của Kế hoạch. (Report: give '
                   'assistance on cleaner production to enterprises in the province, advise the DoIT to propose '
                   "the Ministry of Industry and Trade and the Provincial People's Committee to allocate funds for "
                   'the tasks of the Plan. Established right after the Action Plan was promulgated.)',
                   {'tasks': 'Hỗ trợ doanh nghiệp trên địa bàn tỉnh áp dụng SXSH; tham mưu Sở Công Thương đề xuất '
                             'Bộ Công Thương và UBND tỉnh bố trí kinh phí thực hiện các nhiệm vụ của Kế hoạch. Tổ '
                             'được thành lập ngay sau khi Kế hoạch hành động được ban hành.',
                    'tasks_en': 'Give assistance on cleaner production to enterprises in the province; advise the '
                                'Department of Industry and Trade to propose the Ministry of Industry and Trade '
                                "and the Provincial People's Committee to allocate funds for the tasks of the "
                                'Plan. Established right after the Action Plan was promulgated.'})],
 'establishment': [('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Kon Tum Tapioca Starch Company Limited. Báo '
                    'cáo nêu là doanh nghiệp đang thực hiện SXSH (named in the report among the enterprises '
                    'pursuing cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Kon Tum Tapioca Starch Company Limited. '
                              'Báo cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Kon Tum Tapioca Starch Company Limited. Named in the '
                                 'report among the enterprises pursuing cleaner production.'}),
                   ('parent_organisation',
                    'Công ty TNHH MTV Cao su Kon Tum (Kon Tum Rubber One Member Limited Liability Company)',
                    {'parent_organisation': 'Công ty TNHH MTV Cao su Kon Tum',
                     'parent_organisation_en': 'Kon Tum Rubber One Member Limited Liability Company'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Ya Chim Rubber Latex Processing Plant. Báo '
                    'cáo nêu là doanh nghiệp đang thực hiện SXSH (named in the report among the enterprises '
                    'pursuing cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Ya Chim Rubber Latex Processing Plant. '
                              'Báo cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Ya Chim Rubber Latex Processing Plant. Named in the '
                                 'report among the enterprises pursuing cleaner production.'}),
                   ('parent_organisation',
                    'Công ty TNHH MTV 732 (732 One Member Limited Liability Company)',
                    {'parent_organisation': 'Công ty TNHH MTV 732',
                     'parent_organisation_en': '732 One Member Limited Liability Company'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Rubber Latex Processing Plant 5. Báo cáo '
                    'nêu là doanh nghiệp đang thực hiện SXSH (named in the report among the enterprises pursuing '
                    'cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Rubber Latex Processing Plant 5. Báo '
                              'cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Rubber Latex Processing Plant 5. Named in the report '
                                 'among the enterprises pursuing cleaner production.'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Hiep Hung Rubber Latex Processing Company. '
                    'Báo cáo nêu là doanh nghiệp đang thực hiện SXSH (named in the report among the enterprises '
                    'pursuing cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Hiep Hung Rubber Latex Processing '
                              'Company. Báo cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Hiep Hung Rubber Latex Processing Company. Named in the '
                                 'report among the enterprises pursuing cleaner production.'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Ngoc Hoi Rubber Latex Processing Plant. Báo '
                    'cáo nêu là doanh nghiệp đang thực hiện SXSH (named in the report among the enterprises '
                    'pursuing cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Ngoc Hoi Rubber Latex Processing Plant. '
                              'Báo cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Ngoc Hoi Rubber Latex Processing Plant. Named in the '
                                 'report among the enterprises pursuing cleaner production.'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Van Thanh Cooperative. Báo cáo nêu là doanh '
                    'nghiệp đang thực hiện SXSH (named in the report among the enterprises pursuing cleaner '
                    'production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Van Thanh Cooperative. Báo cáo nêu là '
                              'doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Van Thanh Cooperative. Named in the report among the '
                                 'enterprises pursuing cleaner production.'}),
                   ('notes',
                    'Tên trong báo cáo 2018 (name in the 2018 report): Thien Vuong Construction One Member Limited '
                    'Liability Company. Báo cáo nêu là doanh nghiệp đang thực hiện SXSH (named in the report among '
                    'the enterprises pursuing cleaner production).',
                    {'notes': 'Tên trong báo cáo năm 2018 (bản tiếng Anh): Thien Vuong Construction One Member '
                              'Limited Liability Company. Báo cáo nêu là doanh nghiệp đang thực hiện SXSH.',
                     'notes_en': 'Name in the 2018 report: Thien Vuong Construction One Member Limited Liability '
                                 'Company. Named in the report among the enterprises pursuing cleaner '
                                 'production.'})],
 'cpmeasure': [('description',
                'Report: the company invested in a closed fresh cassava residue drying system to stop drying fresh '
                'residue outside, which caused environmental pollution (in the last 3 years before 2018; the year '
                'is not given).',
                {'description': 'Theo báo cáo: công ty đã đầu tư hệ thống sấy bã sắn tươi kín, chấm dứt việc phơi '
                                'bã sắn tươi ngoài trời gây ô nhiễm môi trường (trong 3 năm trước năm 2018; báo '
                                'cáo không nêu năm).',
                 'description_en': 'Report: the company invested in a closed fresh cassava residue drying system '
                                   'to stop drying fresh residue outside, which caused environmental pollution (in '
                                   'the last 3 years before 2018; the year is not given).'}),
               ('description',
                'Report: updating some energy-efficient equipment (in the last 3 years before 2018; the year is '
                'not given).',
                {'description': 'Theo báo cáo: thay thế một số thiết bị bằng thiết bị tiết kiệm năng lượng (trong '
                                '3 năm trước năm 2018; báo cáo không nêu năm).',
                 'description_en': 'Report: updating some energy-efficient equipment (in the last 3 years before '
                                   '2018; the year is not given).'}),
               ('description',
                'Report: in 2017 the company also built a high-grade wastewater treatment system.',
                {'description': 'Theo báo cáo: năm 2017 công ty còn xây dựng hệ thống xử lý nước thải hiện đại.',
                 'description_en': 'Report: in 2017 the company also built a high-grade wastewater treatment '
                                   'system.'}),
               ('description',
                'Report: the plant invested in the membrane in order to recover the excess product during '
                'processing and to limit waste discharged to the environment (the year is not given).',
                {'description': 'Theo báo cáo: nhà máy đã đầu tư màng lọc để thu hồi sản phẩm dư trong quá trình '
                                'chế biến, hạn chế chất thải ra môi trường (báo cáo không nêu năm).',
                 'description_en': 'Report: the plant invested in the membrane in order to recover the excess '
                                   'product during processing and to limit waste discharged to the environment '
                                   '(the year is not given).'}),
               ('description',
                'Report (27/09/2018): at present the plant is upgrading its wastewater treatment system to a '
                'capacity of 1,100 m³ per day; when it is put into use all wastewater will be treated before '
                'discharge.',
                {'description': 'Theo báo cáo (27/09/2018): hiện nhà máy đang nâng cấp hệ thống xử lý nước thải '
                                'lên công suất 1.100 m³/ngày; khi đưa vào sử dụng, toàn bộ nước thải sẽ được xử lý '
                                'trước khi thải ra môi trường.',
                 'description_en': 'Report (27/09/2018): at present the plant is upgrading its wastewater '
                                   'treatment system to a capacity of 1,100 m³ per day; when it is put into use '
                                   'all wastewater will be treated before discharge.'})],
 'assistancerecord': [('description',
                       'Khảo sát, đánh giá quy trình sản xuất và xây dựng kế hoạch thực hiện SXSH (surveys, '
                       'evaluation of the production process and a cleaner production implementation plan).',
                       {'description': 'Khảo sát, đánh giá quy trình sản xuất và xây dựng kế hoạch thực hiện SXSH.',
                        'description_en': 'Surveys, evaluation of the production process and a cleaner production '
                                          'implementation plan.'})]}


def _apply(apps, forward):
    for model_name, rows in SPLITS.items():
        model = apps.get_model("establishments", model_name)
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
        ("establishments", "0005_english_texts"),
    ]

    operations = [
        migrations.RunPython(split, join),
    ]
