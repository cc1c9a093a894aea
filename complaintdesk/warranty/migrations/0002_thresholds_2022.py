"""The three-guarantees numbers of 家用汽车产品修理更换退货责任规定 (国家市场监督管理总局令第43号),
in force from 2022-01-01 (SPEC §9). Kept as rows so that a change of law is a data change: add
rows with a later effective_from (Django admin), never edit code."""

import datetime as dt

from django.db import migrations

RULE = "家用汽车产品修理更换退货责任规定（2021）"
EFFECTIVE = dt.date(2022, 1, 1)

# code, value, unit, citation
ROWS = [
    ("sanbao_years", 2, "year", f"{RULE}第十八条：三包有效期不低于2年或者行驶里程50000公里，以先到者为准"),
    ("sanbao_km", 50000, "km", f"{RULE}第十八条：三包有效期不低于2年或者行驶里程50000公里，以先到者为准"),
    ("warranty_years", 3, "year", f"{RULE}第十八条：包修期不低于3年或者行驶里程60000公里，以先到者为准"),
    ("warranty_km", 60000, "km", f"{RULE}第十八条：包修期不低于3年或者行驶里程60000公里，以先到者为准"),
    ("major_part_days", 7, "day", f"{RULE}第二十二条：7日内需更换发动机、变速器、动力蓄电池、行驶驱动电机或其主要零部件"),
    ("safety_failure_days", 60, "day", f"{RULE}第二十三条：60日内或3000公里之内（以先到者为准）转向、制动失效，车身开裂，燃油泄漏，动力蓄电池起火"),
    ("safety_failure_km", 3000, "km", f"{RULE}第二十三条：60日内或3000公里之内（以先到者为准）转向、制动失效，车身开裂，燃油泄漏，动力蓄电池起火"),
    ("safety_repairs", 2, "times", f"{RULE}第二十四条第一款第（一）项：严重安全性能故障累计修理2次仍未排除或出现新的严重安全性能故障"),
    ("assembly_replacements", 2, "times", f"{RULE}第二十四条第一款第（二）项：发动机、变速器、动力蓄电池、行驶驱动电机累计更换2次仍不能正常使用"),
    ("part_replacements", 2, "times", f"{RULE}第二十四条第一款第（三）项：同一主要零部件累计更换2次仍不能正常使用"),
    ("repair_days", 30, "day", f"{RULE}第二十四条第一款第（四）项：因质量问题累计修理时间超过30日"),
    ("same_problem_repairs", 4, "times", f"{RULE}第二十四条第一款第（四）项：因同一质量问题累计修理超过4次"),
    ("single_repair_days", 5, "day", f"{RULE}第二十条：包修期内单次修理时间超过5日，自第6日起提供备用车或交通费用补偿"),
]


def load(apps, schema_editor):
    Threshold = apps.get_model("warranty", "WarrantyThreshold")
    for code, value, unit, citation in ROWS:
        Threshold.objects.get_or_create(
            store=None,
            code=code,
            effective_from=EFFECTIVE,
            defaults={"value": value, "unit": unit, "citation": citation},
        )


def unload(apps, schema_editor):
    Threshold = apps.get_model("warranty", "WarrantyThreshold")
    Threshold.objects.filter(
        store=None, effective_from=EFFECTIVE, code__in=[r[0] for r in ROWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("warranty", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
