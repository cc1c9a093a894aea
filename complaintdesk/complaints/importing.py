"""Import complaints from CSV or XLSX files (`complaintdesk import`, the demo).

The file is read whole, its headers are mapped to our fields (English and Chinese aliases),
then every row goes through `services.complaint_create` — the same validation and numbering as a
form typed in the UI — inside ONE transaction. Rows that fail are collected with their row
number (as a spreadsheet shows it: the header is row 1), the file's column name and the
problem; if any row failed, or on a dry run, the transaction is rolled back and nothing is
stored (form numbers are given back, so the sequence stays gap-free).

Re-importing is idempotent: each row carries `source` (the origin register, from the file's
`source` column, the --source option or the file name) and `source_ref` (its external id, or a
hash of its content); a row whose (store, source, source_ref) exists is skipped.

Decisions worth knowing:
- CSV text is decoded as UTF-8 (a BOM is dropped), else as GB18030 (a superset of GBK).
- XLSX: the first sheet; merged cells in data rows are expanded (every cell of the range gets the
  top-left value, e.g. one date merged over several complaints); merged cells in the header row
  are refused, naming the range, since a merged header hides which column is which.
- A number in a date column is an Excel serial day (46000 → 2025-12-09, Excel's 1900 system or
  the workbook's 1904 system); a date without a time is 00:00 in the store's time zone.
- The `channel` column is free text: our codes and Chinese labels, then a keyword table
  (import_vocabulary.CHANNEL_KEYWORDS); text that matches nothing is a row error.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Channel, Nature, Severity
from complaintdesk.complaints.import_vocabulary import (
    ALIASES,
    COLUMNS,
    NATURE_WORDS,
    SEVERITY_WORDS,
    channel_for,
    choice_for,
    norm,
)
from complaintdesk.complaints.models import Complaint, ImportRun
from complaintdesk.core.errors import DomainError, ValidationFailed
from complaintdesk.org.models import Store
from complaintdesk.org.selectors import roles_in_store


class ImportRefused(DomainError):
    """The file as a whole cannot be imported (unreadable, a required column missing…)."""

    code = "import_refused"
    http_status = 422
    default_message = gettext_lazy("The file cannot be imported.")


# Plain text handed to complaint_create as they are.
TEXT_COLUMNS = (
    "location",
    "contact_name",
    "contact_phone",
    "result_so_far",
    "customer_demand",
    "repair_order",
    "sales_contract",
    "involved_staff_note",
    "customer_name",
    "customer_phone",
    "plate",
    "vin",
    "vehicle_brand",
    "vehicle_model",
    "source_category",
)
SUMMARY_MAX = 200


# ---------------------------------------------------------------------------------------------
# Reading files.


@dataclass
class Table:
    """A file's header and rows as read: raw cell values, row numbers as a spreadsheet shows."""

    headers: list[str]
    rows: list[tuple[int, list]]
    encoding: str = ""
    epoch: dt.datetime | None = None  # XLSX date system; None for CSV (Excel's 1900 system)
    notes: list[str] = field(default_factory=list)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (BOM dropped) first, then GB18030, which also reads every GBK and GB2312 file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is neither UTF-8 nor GBK/GB18030 text.")) from None


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportRefused(
            _("The CSV file is malformed near record %(n)d: %(e)s")
            % {"n": reader.line_num, "e": exc}
        ) from None
    if not records:
        raise ImportRefused(_("The file is empty."))
    # The header is row 1, the first complaint row 2: the numbers a spreadsheet shows.
    rows = [(n, r) for n, r in enumerate(records[1:], start=2) if not _blank(r)]
    return Table(
        headers=[h.replace("\ufeff", "") for h in records[0]], rows=rows, encoding=encoding
    )


def read_xlsx(data: bytes) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged ranges are only known to a fully loaded sheet.
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRefused(_("The file is not a readable .xlsx workbook.")) from None
    ws = wb.worksheets[0]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    if not grid:
        raise ImportRefused(_("The file is empty."))
    width = max(len(r) for r in grid)
    for r in grid:
        r.extend([None] * (width - len(r)))
    notes = []
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.min_row == 1:
            raise ImportRefused(
                _(
                    "Merged cells in the header row (%(range)s) cannot be imported: give every "
                    "column its own header cell."
                )
                % {"range": rng.coord}
            )
        value = grid[rng.min_row - 1][rng.min_col - 1]
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                grid[row - 1][col - 1] = value
        notes.append(
            _("merged cells %(range)s: the value of %(cell)s was used for every cell")
            % {"range": rng.coord, "cell": f"{get_column_letter(rng.min_col)}{rng.min_row}"}
        )
    headers = ["" if h is None else str(h) for h in grid[0]]
    rows = [(n, r) for n, r in enumerate(grid[1:], start=2) if not _blank(r)]
    return Table(headers=headers, rows=rows, encoding="xlsx", epoch=wb.epoch, notes=notes)


def read_table(name: str, data: bytes) -> Table:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(data)
    raise ImportRefused(
        _("Unsupported file type “%(suffix)s”: use .csv or .xlsx.") % {"suffix": suffix}
    )


# ---------------------------------------------------------------------------------------------
# Mapping headers and cells.


@dataclass
class ColumnMap:
    index: dict[str, int]  # our field -> column index
    header: dict[str, str]  # our field -> the file's header text
    ignored: list[str]


def map_columns(headers: list[str]) -> ColumnMap:
    required = ["received_at", "channel"]
    names = {norm(str(h or "").replace("\ufeff", "").strip()) for h in headers}
    if not any(ALIASES.get(n) in ("summary", "description") for n in names):
        required.append("summary")
    index, header, ignored = match_columns(headers, ALIASES, COLUMNS, required)
    return ColumnMap(index=index, header=header, ignored=ignored)


def match_columns(
    headers: list[str], aliases: dict[str, str], columns: dict[str, tuple], required: list[str]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Which column gives which field: (field → index, field → header as written, ignored
    headers). `aliases` maps a normalised header to its field, `columns` lists each field's
    accepted headers for the message. Two columns for one field, or a required field without a
    column, refuse the whole file (ImportRefused names them)."""
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for i, raw in enumerate(headers):
        name = str(raw or "").replace("\ufeff", "").strip()
        if not name:
            continue
        target = aliases.get(norm(name))
        if target is None:
            ignored.append(name)
        elif target in index:
            problems.append(
                _("Columns “%(a)s” and “%(b)s” both give %(field)s; keep one of them.")
                % {"a": header[target], "b": name, "field": target}
            )
        else:
            index[target] = i
            header[target] = name
    for name in required:
        if name not in index:
            problems.append(
                _("Missing required column “%(field)s” (accepted headers: %(names)s).")
                % {"field": name, "names": ", ".join(columns[name])}
            )
    if problems:
        raise ImportRefused(" ".join(problems))
    return index, header, ignored


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers and ids typed as numbers
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


_DATE_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)
_TIME_RE = re.compile(r"^(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?$")
# Excel serial days that can be a date of receipt (1954 … 2119); other numbers are not dates.
_SERIAL_RANGE = (20_000, 80_000)


class CellError(ValueError):
    pass


def _from_serial(number: float, epoch) -> dt.datetime:
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    if not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        raise CellError(_("%(v)s is not a date.") % {"v": cell_text(number)})
    value = from_excel(number, epoch or CALENDAR_WINDOWS_1900)
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def parse_datetime(value, tz, epoch=None) -> tuple[dt.datetime, bool]:
    """A cell as an aware datetime in the store's zone, and whether it carried a time of day."""
    if isinstance(value, dt.datetime):
        result, has_time = value, True
    elif isinstance(value, dt.date):
        result, has_time = dt.datetime.combine(value, dt.time()), False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = _from_serial(value, epoch)
        has_time = result.time() != dt.time()
    else:
        text = cell_text(value)
        if not text:
            raise CellError(_("This field is required."))
        match = _DATE_RE.match(text)
        try:
            if re.fullmatch(r"\d+(\.\d+)?", text) and len(text.split(".")[0]) != 8:
                result = _from_serial(float(text), epoch)
                has_time = result.time() != dt.time()
            elif re.fullmatch(r"\d{8}", text):
                result, has_time = dt.datetime.strptime(text, "%Y%m%d"), False  # noqa: DTZ007
            elif match:
                y, mo, d, h, mi, s = (int(g) if g else None for g in match.groups())
                result = dt.datetime(y, mo, d, h or 0, mi or 0, s or 0)  # noqa: DTZ001
                has_time = h is not None
            else:
                result, has_time = dt.datetime.fromisoformat(text), "T" in text or ":" in text
        except ValueError:
            raise CellError(
                _("“%(v)s” is not a valid date (e.g. 2025-12-08 or 2025-12-08 14:30).")
                % {"v": text}
            ) from None
    if timezone.is_naive(result):
        result = result.replace(tzinfo=tz)
    return result, has_time


def parse_time(value) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # Excel stores a time as a fraction of a day
        seconds = round(value * 86400)
        return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    text = cell_text(value)
    match = _TIME_RE.match(text)
    try:
        if not match:
            raise ValueError(text)
        h, m, s = (int(g) if g else 0 for g in match.groups())
        return dt.time(h, m, s)
    except ValueError:
        raise CellError(_("“%(v)s” is not a time of day (e.g. 14:30).") % {"v": text}) from None


# ---------------------------------------------------------------------------------------------
# Importing.


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self):
        return _("row %(row)d, column “%(column)s”: %(message)s") % self.as_dict()


@dataclass
class ImportReport:
    file_name: str
    rows_total: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False
    seconds: float = 0.0
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


class _RunProgress:
    """Writes an ImportRun's progress where other sessions see it while the import's own
    transaction is still open. On PostgreSQL that is a second, autocommit connection: the run row
    was committed before the import transaction began and the import never touches it, so the two
    connections cannot wait on each other. SQLite has one writer at a time, so there (and when the
    caller already holds a transaction) the row is written before and after the import only."""

    def __init__(self, run: ImportRun | None):
        self.run = run
        self.side = None
        if run is not None and connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def update(self, **values) -> None:
        if self.side is None:
            return
        quote = self.side.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        sql = f"UPDATE {quote(ImportRun._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 (field names, not input)
        with self.side.cursor() as cursor:
            cursor.execute(sql, [*values.values(), self.run.pk])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def row_hash(values: dict[str, str]) -> str:
    """A stable reference for a row without an external id: the hash of what it says."""
    payload = json.dumps(sorted(values.items()), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()[:40]


def _row_kwargs(cells: list, cols: ColumnMap, tz, epoch, source: str, fallback_source: str):
    """complaint_create keyword arguments for one row, or field errors."""
    errors: dict[str, list[str]] = {}
    raw = {f: (cells[i] if i < len(cells) else None) for f, i in cols.index.items()}
    text = {f: cell_text(v) for f, v in raw.items()}
    kwargs: dict = {f: text[f] for f in TEXT_COLUMNS if f in text}

    try:
        received, has_time = parse_datetime(raw["received_at"], tz, epoch)
        if text.get("received_time"):
            try:
                at = parse_time(raw["received_time"])
                received = dt.datetime.combine(received.date(), at, tzinfo=received.tzinfo)
            except CellError as exc:
                errors.setdefault("received_time", []).append(str(exc))
        kwargs["received_at"] = received
    except CellError as exc:
        errors.setdefault("received_at", []).append(str(exc))

    if not text["channel"]:
        errors.setdefault("channel", []).append(_("This field is required."))
    else:
        channel = channel_for(text["channel"])
        if channel is None:
            errors.setdefault("channel", []).append(
                _(
                    "Unknown channel “%(v)s”: use one of %(codes)s or a wording such as 现场, "
                    "电话, 信函, 12315, web, e-mail."
                )
                % {"v": text["channel"], "codes": ", ".join(Channel.values)}
            )
        kwargs["channel"] = channel or ""

    for name, choices, words in (
        ("nature", Nature, NATURE_WORDS),
        ("severity", Severity, SEVERITY_WORDS),
    ):
        if text.get(name):
            value = choice_for(text[name], choices, words)
            if value is None:
                errors.setdefault(name, []).append(
                    _("Unknown value “%(v)s”; expected one of: %(all)s")
                    % {"v": text[name], "all": ", ".join(choices.values)}
                )
            kwargs[name] = value or ""
    # Issue 6: the triage suggestion is recorded beside the file's own judgement (a column the
    # file does not fill decides nothing); it is never applied in place of a missing value.
    kwargs["triage"] = {
        "entry": "import",
        "decided": [n for n in ("nature", "severity") if kwargs.get(n)],
    }

    # A summary longer than the form's 200 characters keeps its first 200 there; the whole
    # text stays in the description.
    summary = text.get("summary", "")
    description = text.get("description", "")
    if "summary" in cols.index:
        if not summary:
            errors.setdefault("summary", []).append(_("This field is required."))
    else:
        summary = description.splitlines()[0] if description else ""
    if not description:
        description = summary
    elif len(summary) > SUMMARY_MAX and summary not in description:
        description = f"{summary}\n\n{description}"
    kwargs["summary"] = summary[:SUMMARY_MAX]
    kwargs["description"] = description

    kwargs["source"] = (source or text.get("source") or fallback_source)[:200]
    kwargs["source_ref"] = text.get("source_ref") or row_hash(
        {f: v for f, v in text.items() if f != "source_ref"}
    )
    return kwargs, errors


def import_table(
    table: Table,
    *,
    store: Store,
    actor,
    file_name: str,
    source: str = "",
    dry_run: bool = False,
    sha256: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row and create them all, or nothing. See the module docstring."""
    started = time.monotonic()
    if not roles_in_store(actor, store):
        raise ImportRefused(
            _("%(user)s holds no role in store %(store)s.") % {"user": actor, "store": store.code}
        )
    cols = map_columns(table.headers)
    report = ImportReport(
        file_name=file_name,
        rows_total=len(table.rows),
        ignored_columns=cols.ignored,
        notes=list(table.notes),
        encoding=table.encoding,
        dry_run=dry_run,
    )
    header_of = dict(cols.header)
    header_of.setdefault("summary", header_of.get("description", "summary"))
    header_of.setdefault("description", header_of.get("summary", "description"))
    header_of.setdefault("source_ref", _("(row content hash)"))

    prepared = []
    for number, cells in table.rows:
        kwargs, errors = _row_kwargs(
            cells, cols, store.tz, table.epoch, source, Path(file_name).stem
        )
        if len(cells) > len(table.headers) and not _blank(cells[len(table.headers) :]):
            errors.setdefault("", []).append(
                _("The row has %(n)d cells but the header only %(m)d.")
                % {"n": len(cells), "m": len(table.headers)}
            )
        prepared.append((number, kwargs, errors))

    sources = {kw["source"] for _n, kw, _e in prepared}
    seen = set(
        Complaint.objects.filter(store=store, source__in=sources)
        .exclude(source_ref="")
        .values_list("source", "source_ref")
    )

    run = None
    if not dry_run:
        run = ImportRun.objects.create(
            store=store, file_name=file_name[:300], sha256=sha256, rows_total=len(prepared)
        )
        report.run = run
    writer = _RunProgress(run)
    try:
        with transaction.atomic():
            for done, (number, kwargs, errors) in enumerate(prepared, start=1):
                key = (kwargs["source"], kwargs["source_ref"])
                if key in seen:
                    report.skipped += 1  # imported before, or the same row twice in this file
                elif errors:
                    errors |= _other_errors(actor, store, kwargs, errors)
                    report.errors += _row_errors(number, errors, header_of)
                else:
                    try:
                        services.complaint_create(actor=actor, store=store, **kwargs)
                    except ValidationFailed as exc:
                        report.errors += _row_errors(number, exc.errors, header_of)
                    else:
                        report.created += 1
                        seen.add(key)
                if progress is not None:
                    progress(done, len(prepared))
                if done % 100 == 0:
                    writer.update(rows_done=done, created=report.created, skipped=report.skipped)
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        writer.close()
    if report.errors:
        report.created = 0
    report.seconds = time.monotonic() - started
    if run is not None:
        run.status = ImportRun.RunStatus.FAILED if report.errors else ImportRun.RunStatus.DONE
        run.rows_done = len(prepared)
        run.created, run.skipped = report.created, report.skipped
        run.errors = [e.as_dict() for e in report.errors]
        run.finished_at = timezone.now()
        run.save()
    return report


# Stand-ins for cells that could not be read, so that complaint_create still checks the rest.
_STAND_INS = {
    "received_at": lambda: timezone.now(),
    "channel": lambda: Channel.ONSITE,
    "nature": lambda: "",
    "severity": lambda: Severity.ORDINARY,
    "summary": lambda: "-",
}


def _other_errors(actor, store, kwargs: dict, errors: dict) -> dict:
    """The problems complaint_create finds in a row's other cells, so that one report lists all
    of a row's problems. The row is created with stand-ins inside the import's transaction,
    which is rolled back since the file has errors."""
    probe = dict(kwargs)
    for name, value in _STAND_INS.items():
        if name in errors or (name == "received_at" and "received_time" in errors):
            probe[name] = value()
    try:
        services.complaint_create(actor=actor, store=store, **probe)
    except ValidationFailed as exc:
        return {k: v for k, v in exc.errors.items() if k not in errors}
    return {}


def _row_errors(number: int, errors: dict, header_of: dict[str, str]) -> list[RowError]:
    return [
        RowError(number, header_of.get(name, name) if name else "—", str(message))
        for name, messages in errors.items()
        for message in messages
    ]


def import_file(
    path,
    *,
    store: Store,
    actor,
    source: str = "",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Read a .csv or .xlsx file and import it into the store as `actor`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from None
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return import_table(
            read_table(path.name, data),
            store=store,
            actor=actor,
            file_name=path.name,
            source=source,
            dry_run=dry_run,
            sha256=sha256,
            progress=progress,
        )
    except ImportRefused as exc:
        if not dry_run:  # a refused file is still a run on the record
            ImportRun.objects.create(
                store=store,
                file_name=path.name[:300],
                sha256=sha256,
                status=ImportRun.RunStatus.FAILED,
                errors=[{"row": 1, "column": "", "message": str(exc.message)}],
                finished_at=timezone.now(),
            )
        raise


class ProgressBar:
    """`importing 1200/2385  50%` rewritten in place (carriage return), ~10 times a second at most.

    `stream` is a text stream, or a Django command's OutputWrapper (which would add a newline)."""

    def __init__(self, stream, label: str = "importing"):
        self.stream = stream
        self.label = label
        self.last = 0.0

    def _write(self, text: str) -> None:
        if hasattr(self.stream, "style_func"):  # django OutputWrapper
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        percent = done * 100 // total if total else 100
        self._write(
            f"\r{self.label} {done}/{total} {percent:3d}%" + ("\n" if done >= total else "")
        )


__all__ = [
    "COLUMNS",
    "ImportRefused",
    "ImportReport",
    "ProgressBar",
    "RowError",
    "Table",
    "channel_for",
    "import_file",
    "import_table",
    "read_table",
]
