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


class PageToken(models.Model):
    """The secret of a volunteer's own page (no password): not their feed's token, and rotated
    on its own."""

    volunteer_id = models.CharField(max_length=100, unique=True)
    token = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField()


class LeaveRequest(models.Model):
    """Leave a volunteer asked for on their page; the office approves (a `LeaveEntry` is made and
    the weeks it touches are drafted again) or declines."""

    ASKED, APPROVED, DECLINED, WITHDRAWN = "asked", "approved", "declined", "withdrawn"
    STATES = [(ASKED, "待批"), (APPROVED, "已批准"), (DECLINED, "未批准"), (WITHDRAWN, "已撤回")]

    volunteer_id = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=ASKED)
    asked_at = models.DateTimeField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True)
    note = models.CharField(max_length=200, blank=True)  # the office's word to the volunteer
    entry = models.ForeignKey(LeaveEntry, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-asked_at"]


class SwapRequest(models.Model):
    """A volunteer asks a colleague to take one of their published duties; the colleague accepts
    on their own page, then the office confirms (unless the campaign lets accepted swaps through)
    and the week's draft gets the change, published with the week's next version."""

    ASKED, ACCEPTED, DECLINED, CONFIRMED, REFUSED, WITHDRAWN = (
        "asked",
        "accepted",
        "declined",
        "confirmed",
        "refused",
        "withdrawn",
    )
    STATES = [
        (ASKED, "待同事答复"),
        (ACCEPTED, "同事已接受"),
        (DECLINED, "同事已拒绝"),
        (CONFIRMED, "已确认"),
        (REFUSED, "办公室未同意"),
        (WITHDRAWN, "已撤回"),
    ]

    monday = models.DateField()
    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    giver = models.CharField(max_length=100)  # volunteer ids
    taker = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=STATES, default=ASKED)
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-asked_at"]


class Attendance(models.Model):
    """Who came to a slot, as its leader signed the team in: hours are credited from this only
    (民政部令第67号: a record of service is of service done, certified by who recorded it)."""

    PRESENT, LATE, ABSENT = "present", "late", "absent"
    STATES = [(PRESENT, "到岗"), (LATE, "迟到"), (ABSENT, "缺勤")]

    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    volunteer_id = models.CharField(max_length=100)
    volunteer_name = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=STATES)
    arrived = models.PositiveIntegerField(null=True)  # minutes after midnight
    left = models.PositiveIntegerField(null=True)
    credited = models.PositiveIntegerField(default=0)  # minutes, within the slot's window
    walk_in = models.BooleanField(default=False)  # came in place of someone, not on the roster
    stands_for = models.CharField(max_length=100, blank=True)  # a walk-in's: whose seat (an id)
    on_leave = models.BooleanField(default=False)  # absent with leave recorded for the day
    recorded_by = models.CharField(max_length=100)  # the leader's volunteer id
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "start", "area", "volunteer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "start", "duty", "area", "volunteer_id"], name="one_record_each"
            )
        ]


class SpotCheck(models.Model):
    """What an inspector (督查组) found at a slot, unannounced."""

    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    duty = models.CharField(max_length=100)
    area = models.CharField(max_length=300)
    unit = models.CharField(max_length=200)
    planned = models.PositiveIntegerField()  # people the published roster has there
    present = models.PositiveIntegerField()
    leader_present = models.BooleanField()
    remarks = models.TextField(blank=True)
    inspector = models.CharField(max_length=150)
    checked_at = models.DateTimeField()

    @property
    def passed(self) -> bool:
        """Everyone planned there, and the leader."""
        return self.present >= self.planned and self.leader_present

    class Meta:
        ordering = ["-checked_at"]


class Preference(models.Model):
    """The office asks the planner to prefer a volunteer behind the yearly target: the drafts of
    the weeks up to `until` leave their earlier hours out of the history the fairness counts, so
    their fair share is still to serve and the planner gives them more duties (within the caps)."""

    volunteer_id = models.CharField(max_length=100, unique=True)
    until = models.DateField()  # the last week (any day of it) whose drafts prefer them
    made_by = models.CharField(max_length=150)
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["volunteer_id"]
