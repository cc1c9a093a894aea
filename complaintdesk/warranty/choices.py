"""The vocabularies of the three guarantees (三包, SPEC §9): vehicle systems, kinds of workshop
visit, threshold codes and units, the conditions that entitle the customer to a replacement car
or a refund, and how far a complaint stands from each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class System(models.TextChoices):
    """The assemblies and systems the regulation names (家用汽车产品三包规定 2021, Art. 22–24)."""

    ENGINE = "engine", _("Engine")
    GEARBOX = "gearbox", _("Gearbox")
    TRACTION_BATTERY = "traction_battery", _("Traction battery")
    DRIVE_MOTOR = "drive_motor", _("Drive motor")
    STEERING = "steering", _("Steering system")
    BRAKES = "brakes", _("Brake system")
    SUSPENSION = "suspension", _("Suspension")
    DRIVELINE = "driveline", _("Driveline")
    EMISSION_CONTROL = "emission_control", _("Emission control")
    BODY = "body", _("Body")
    FUEL = "fuel", _("Fuel system")
    ELECTRICAL = "electrical", _("Electrical")
    OTHER = "other", _("Other")


# Art. 22 and Art. 24(2): the four assemblies whose replacement counts on its own.
MAJOR_ASSEMBLIES = frozenset(
    {System.ENGINE, System.GEARBOX, System.TRACTION_BATTERY, System.DRIVE_MOTOR}
)
# Art. 24(3): the systems whose "same main part replaced twice" entitles a replacement or refund.
MAIN_PART_SYSTEMS = MAJOR_ASSEMBLIES | {
    System.STEERING,
    System.BRAKES,
    System.SUSPENSION,
    System.DRIVELINE,
    System.EMISSION_CONTROL,
    System.BODY,
}
# Art. 23: steering failure, brake failure, body cracking, fuel leak, traction-battery fire. A
# visit of one of these systems marked as a serious safety fault is read as one of those events.
SIXTY_DAY_SYSTEMS = frozenset(
    {System.STEERING, System.BRAKES, System.BODY, System.FUEL, System.TRACTION_BATTERY}
)


class VisitKind(models.TextChoices):
    """Only repairs of a quality problem count under the three guarantees (Art. 24: 因质量问题)."""

    QUALITY = "quality", _("Quality repair (warranty)")
    MAINTENANCE = "maintenance", _("Maintenance")
    OTHER = "other", _("Other (accident, paid work…)")


class VisitSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    IMPORT = "import", _("Imported from the DMS")


class Unit(models.TextChoices):
    DAY = "day", _("days")
    YEAR = "year", _("years")
    KM = "km", _("km")
    TIMES = "times", _("times")


class ThresholdCode(models.TextChoices):
    SANBAO_YEARS = "sanbao_years", _("三包 period (years)")
    SANBAO_KM = "sanbao_km", _("三包 period (km)")
    WARRANTY_YEARS = "warranty_years", _("Repair warranty period (years)")
    WARRANTY_KM = "warranty_km", _("Repair warranty period (km)")
    MAJOR_PART_DAYS = (
        "major_part_days",
        _("Engine / gearbox / battery / motor replacement window (days)"),
    )
    SAFETY_FAILURE_DAYS = "safety_failure_days", _("Safety-failure window (days)")
    SAFETY_FAILURE_KM = "safety_failure_km", _("Safety-failure window (km)")
    SAFETY_REPAIRS = "safety_repairs", _("Repairs of a serious safety fault")
    ASSEMBLY_REPLACEMENTS = "assembly_replacements", _("Replacements of the same assembly")
    PART_REPLACEMENTS = "part_replacements", _("Replacements of the same main part")
    REPAIR_DAYS = "repair_days", _("Cumulative repair days")
    SAME_PROBLEM_REPAIRS = "same_problem_repairs", _("Repairs of the same problem")
    SINGLE_REPAIR_DAYS = "single_repair_days", _("Days of one repair before a substitute car")


# The unit of each threshold, and which way a store may depart from the law: the regulation sets
# minimum periods (不低于: a brand may promise longer) and maximum counts (a store may act sooner),
# never the other way round.
THRESHOLD_UNITS = {
    ThresholdCode.SANBAO_YEARS: Unit.YEAR,
    ThresholdCode.SANBAO_KM: Unit.KM,
    ThresholdCode.WARRANTY_YEARS: Unit.YEAR,
    ThresholdCode.WARRANTY_KM: Unit.KM,
    ThresholdCode.MAJOR_PART_DAYS: Unit.DAY,
    ThresholdCode.SAFETY_FAILURE_DAYS: Unit.DAY,
    ThresholdCode.SAFETY_FAILURE_KM: Unit.KM,
    ThresholdCode.SAFETY_REPAIRS: Unit.TIMES,
    ThresholdCode.ASSEMBLY_REPLACEMENTS: Unit.TIMES,
    ThresholdCode.PART_REPLACEMENTS: Unit.TIMES,
    ThresholdCode.REPAIR_DAYS: Unit.DAY,
    ThresholdCode.SAME_PROBLEM_REPAIRS: Unit.TIMES,
    ThresholdCode.SINGLE_REPAIR_DAYS: Unit.DAY,
}
PERIOD_CODES = frozenset(
    {
        ThresholdCode.SANBAO_YEARS,
        ThresholdCode.SANBAO_KM,
        ThresholdCode.WARRANTY_YEARS,
        ThresholdCode.WARRANTY_KM,
        ThresholdCode.MAJOR_PART_DAYS,
        ThresholdCode.SAFETY_FAILURE_DAYS,
        ThresholdCode.SAFETY_FAILURE_KM,
    }
)


class ConditionCode(models.TextChoices):
    """The replacement / refund conditions (换车或退货条件) a complaint can meet."""

    MAJOR_PART_EARLY = (
        "major_part_early",
        _("Engine, gearbox, battery or motor to be replaced right after delivery"),
    )
    SAFETY_FAILURE_EARLY = (
        "safety_failure_early",
        _("Steering or brake failure, body crack, fuel leak or battery fire soon after delivery"),
    )
    SAFETY_REPAIRS = "safety_repairs", _("Serious safety fault persists after repeated repairs")
    ASSEMBLY_REPLACEMENTS = (
        "assembly_replacements",
        _("Same assembly replaced repeatedly and still faulty"),
    )
    PART_REPLACEMENTS = (
        "part_replacements",
        _("Same main part replaced repeatedly and still faulty"),
    )
    REPAIR_DAYS = "repair_days", _("Cumulative repair time over the limit")
    SAME_PROBLEM_REPAIRS = (
        "same_problem_repairs",
        _("Same problem repaired more often than the limit"),
    )


class Standing(models.TextChoices):
    """Where a complaint stands against one condition. UNKNOWN is never shown as fine."""

    MET = "met", _("Met")
    CLOSE = "close", _("Close to the limit")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Cannot tell")


class Position(models.TextChoices):
    """Where a date (and mileage) lies against a period."""

    INSIDE = "inside", _("Inside")
    OUTSIDE = "outside", _("Outside")
    UNKNOWN = "unknown", _("Cannot tell")
