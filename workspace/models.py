"""The workspace's tables. Each maps to a record of the domain; the domain never sees them.

- `TableVersion`: an imported responsibility table, with the file it came from (name, bytes,
  hash, who, when); the newest is current.
- `LeaveEntry`: leave, from the table or added by the office one entry at a time.
- `WeekVersion`: a week's draft (number 0) or a published version (1, 2, …; never changed), with
  its `Assignment` and `Gap` rows; `Change` holds, per person, what a publish added and removed.
- `FeedToken`: the random part of every feed link (a person's, a unit's, an area's, the city's).
- `FeedStamp`: when each duty's calendar event last changed, and its SEQUENCE.
- `AuditEntry`: who did what, when.
"""

from __future__ import annotations

from django.db import models


class Campaign(models.Model):
    """The one campaign of this workspace; its row is also the lock publishes take."""

    name = models.CharField(max_length=200, blank=True)
    start = models.DateField()
    end = models.DateField()
    created = models.DateTimeField()


class TableVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    file_name = models.CharField(max_length=500)
    content = models.BinaryField()  # the workbook, or the data folder's files as a zip
    sha256 = models.CharField(max_length=64)
    imported_by = models.CharField(max_length=150)
    imported_at = models.DateTimeField()
    units = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(default=0)
    duties = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]


class LeaveEntry(models.Model):
    TABLE = "table"
    OFFICE = "office"

    volunteer_id = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    origin = models.CharField(max_length=10, choices=[(TABLE, "表格"), (OFFICE, "办公室")])
    added_by = models.CharField(max_length=150, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["start", "volunteer_id", "id"]


class Edit(models.Model):
    """A unit or a volunteer added, changed or removed by the office, on top of the tables.

    `values` holds the fields as the office typed them (JSON), read again by the tables' own
    parsers each time the plan is built, so an edit is checked exactly like a table's row."""

    UNIT = "unit"
    VOLUNTEER = "volunteer"
    ADD, SET, REMOVE = "add", "set", "remove"

    kind = models.CharField(max_length=10, choices=[(UNIT, "单位"), (VOLUNTEER, "志愿者")])
    action = models.CharField(
        max_length=10, choices=[(ADD, "添加"), (SET, "修改"), (REMOVE, "删除")]
    )
    key = models.CharField(max_length=200)  # the unit's name or the volunteer's id
    values = models.JSONField(default=dict)
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class WeekVersion(models.Model):
    DRAFT = 0

    monday = models.DateField()
    number = models.PositiveIntegerField()  # 0: the draft
    table = models.ForeignKey(TableVersion, on_delete=models.PROTECT)
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField()
    seats = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["monday", "number"]
        constraints = [
            models.UniqueConstraint(fields=["monday", "number"], name="one_version_number")
        ]


class Assignment(models.Model):
    version = models.ForeignKey(WeekVersion, on_delete=models.CASCADE, related_name="rows")
    date = models.DateField()
    start = models.PositiveIntegerField()  # minutes after midnight
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    volunteer_id = models.CharField(max_length=100)
    volunteer_name = models.CharField(max_length=100)
    leader = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "start", "area", "volunteer_id"]
        indexes = [models.Index(fields=["version", "volunteer_id"])]


class Gap(models.Model):
    version = models.ForeignKey(WeekVersion, on_delete=models.CASCADE, related_name="gaps")
    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    needed = models.PositiveIntegerField()
    assigned = models.PositiveIntegerField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["date", "start", "area"]


class Change(models.Model):
    version = models.ForeignKey(WeekVersion, on_delete=models.CASCADE, related_name="changes")
    volunteer_id = models.CharField(max_length=100)
    volunteer_name = models.CharField(max_length=100)
    unit = models.CharField(max_length=200)
    phone = models.CharField(max_length=30, blank=True)
    added = models.TextField(blank=True)  # one duty per line
    removed = models.TextField(blank=True)
    notice = models.TextField()

    class Meta:
        ordering = ["unit", "volunteer_id"]


class FeedToken(models.Model):
    VOLUNTEER = "volunteer"
    UNIT = "unit"
    AREA = "area"
    CITY = "city"
    KINDS = [(VOLUNTEER, "个人"), (UNIT, "单位"), (AREA, "区域"), (CITY, "全市")]
    # The folder of each kind's feeds under a week's ical/ (exports.ical writes them there).
    FOLDERS = {VOLUNTEER: "volunteers", UNIT: "units", AREA: "areas", CITY: "city"}

    kind = models.CharField(max_length=10, choices=KINDS)
    key = models.CharField(max_length=300)  # volunteer id, unit name, area name, "" for the city
    token = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_token_per_feed")]


class FeedStamp(models.Model):
    slot = models.CharField(max_length=500, unique=True)
    digest = models.CharField(max_length=64)
    modified = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField(default=0)  # the event's SEQUENCE: changes so far


class AuditEntry(models.Model):
    at = models.DateTimeField()
    who = models.CharField(max_length=150)
    action = models.CharField(max_length=30)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]


class Lock(models.Model):
    """An assignment of a draft the office fixed by hand: every later draft of the week keeps it
    while the rules allow (a replacement is locked as it is made)."""

    monday = models.DateField()
    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    volunteer_id = models.CharField(max_length=100)
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "start", "area", "volunteer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "start", "duty", "area", "volunteer_id"], name="one_lock_per_seat"
            )
        ]


class Job(models.Model):
    """Work done beside the web server's requests (a week's draft): its progress, per unit, read
    by the page that waits for it."""

    WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
    STATES = [(WAITING, "等待"), (RUNNING, "进行中"), (DONE, "完成"), (FAILED, "失败")]

    kind = models.CharField(max_length=20)
    monday = models.DateField()
    state = models.CharField(max_length=10, choices=STATES, default=WAITING)
    total = models.PositiveIntegerField(default=0)  # parts (units) to solve
    done = models.PositiveIntegerField(default=0)
    units = models.JSONField(default=dict)  # unit -> what became of it, as shown
    message = models.TextField(blank=True)  # the outcome, or the error, in the starter's language
    made_by = models.CharField(max_length=150)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-id"]
