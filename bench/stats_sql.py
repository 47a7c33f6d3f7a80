"""Hand-written SQL for the headline figure of each statistics endpoint, over the same period
as the endpoint: what a person fluent in PostgreSQL would write for that one figure, given the
schema's indexes. Parameters: ``start``, ``end`` (aware datetimes), ``zone`` (Europe/Berlin)
and for the loans ``now``.

Bookings that overlap the period are found as the schema's overlap queries find them
(``start < end AND blocked_until > start``, which the indexes on ``blocked_until`` bound), and
their time is clipped to the period, and to each local day or hour by ``generate_series``.
"""

# Booked hours (clipped to the period) and bookings per resource.
BOOKED_BY_RESOURCE = """
SELECT b.resource_id,
       SUM(EXTRACT(EPOCH FROM LEAST(b."end", %(end)s) - GREATEST(b.start, %(start)s))),
       COUNT(*)
FROM scheduling_booking b
WHERE b.status IN ('requested', 'held', 'confirmed', 'completed') AND b.start < %(end)s
  AND b."end" > %(start)s AND b.blocked_until > %(start)s
GROUP BY b.resource_id
"""

# Booked hours per local week (Monday), each booking cut at local midnights.
BOOKED_BY_WEEK = """
SELECT date_trunc('week', d)::date,
       SUM(EXTRACT(EPOCH FROM
           LEAST(b."end", (d + interval '1 day') AT TIME ZONE %(zone)s, %(end)s)
           - GREATEST(b.start, d AT TIME ZONE %(zone)s, %(start)s)))
FROM scheduling_booking b
CROSS JOIN LATERAL generate_series(
    date_trunc('day', GREATEST(b.start, %(start)s) AT TIME ZONE %(zone)s),
    LEAST(b."end", %(end)s) AT TIME ZONE %(zone)s - interval '1 microsecond',
    interval '1 day'
) AS d
WHERE b.status IN ('requested', 'held', 'confirmed', 'completed') AND b.start < %(end)s
  AND b."end" > %(start)s AND b.blocked_until > %(start)s
GROUP BY 1
"""

# Booked hours per local weekday (1 = Monday) and hour, each booking cut at full hours.
BOOKED_BY_WEEKDAY_HOUR = """
SELECT EXTRACT(ISODOW FROM h AT TIME ZONE %(zone)s)::int,
       EXTRACT(HOUR FROM h AT TIME ZONE %(zone)s)::int,
       SUM(EXTRACT(EPOCH FROM
           LEAST(b."end", h + interval '1 hour', %(end)s) - GREATEST(b.start, h, %(start)s)))
FROM scheduling_booking b
CROSS JOIN LATERAL generate_series(
    date_trunc('hour', GREATEST(b.start, %(start)s), 'UTC'),
    LEAST(b."end", %(end)s) - interval '1 microsecond',
    interval '1 hour'
) AS h
WHERE b.status IN ('requested', 'held', 'confirmed', 'completed') AND b.start < %(end)s
  AND b."end" > %(start)s AND b.blocked_until > %(start)s
GROUP BY 1, 2
"""

# Refusals and distinct members refused, by reason.
REFUSALS_BY_CODE = """
SELECT code, COUNT(*), COUNT(DISTINCT member_id)
FROM scheduling_refusal
WHERE at >= %(start)s AND at < %(end)s
GROUP BY code
"""

# Per activity: occurrences starting in the period (the bench's activities are all DAILY, so
# they are the local days at the event's local time), their places and places taken (from the
# dated occurrence's roles, else the activity's), attended and no-shows; cancelled ones left out.
PROGRAMME_BY_ACTIVITY = """
WITH occurrence AS (
    SELECT a.id AS activity_id,
           (d::date + (e.start AT TIME ZONE %(zone)s)::time) AT TIME ZONE %(zone)s AS at
    FROM scheduling_activity a
    JOIN schedule_event e ON e.id = a.event_id
    CROSS JOIN generate_series(
        (%(start)s AT TIME ZONE %(zone)s)::date, (%(end)s AT TIME ZONE %(zone)s)::date,
        interval '1 day'
    ) AS d
)
SELECT o.activity_id, COUNT(*),
       SUM(COALESCE(sr.places, ar.places)), SUM(COALESCE(sr.taken, 0)),
       SUM(COALESCE(su.attended, 0)), SUM(COALESCE(su.no_show, 0))
FROM occurrence o
LEFT JOIN scheduling_slot s ON s.activity_id = o.activity_id AND s.original_start = o.at
LEFT JOIN LATERAL (
    SELECT SUM(places) AS places, SUM(taken) AS taken
    FROM scheduling_slotrole WHERE slot_id = s.id
) sr ON true
LEFT JOIN LATERAL (
    SELECT COUNT(*) FILTER (WHERE status = 'attended') AS attended,
           COUNT(*) FILTER (WHERE status = 'no_show') AS no_show
    FROM scheduling_signup WHERE slot_id = s.id
) su ON true
CROSS JOIN LATERAL (
    SELECT SUM(places) AS places FROM scheduling_activityrole WHERE activity_id = o.activity_id
) ar
WHERE o.at >= %(start)s AND o.at < %(end)s AND s.cancelled IS NOT TRUE
GROUP BY o.activity_id
"""

# Distinct non-coordinators served (a booking that held its time or a sign-up that held a
# place, starting in the period), those of them never served before, and by role.
PEOPLE_SERVED = """
WITH served AS (
    SELECT b.member_id FROM scheduling_booking b
    WHERE b.status IN ('confirmed', 'completed', 'no_show')
      AND b.start >= %(start)s AND b.start < %(end)s
  UNION
    SELECT su.member_id FROM scheduling_signup su
    JOIN scheduling_slot s ON s.id = su.slot_id
    WHERE su.status IN ('confirmed', 'offered', 'attended', 'no_show')
      AND s.start >= %(start)s AND s.start < %(end)s
)
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM scheduling_booking b
           WHERE b.member_id = u.id AND b.status IN ('confirmed', 'completed', 'no_show')
             AND b.start < %(start)s
       ) AND NOT EXISTS (
           SELECT 1 FROM scheduling_signup su JOIN scheduling_slot s ON s.id = su.slot_id
           WHERE su.member_id = u.id
             AND su.status IN ('confirmed', 'offered', 'attended', 'no_show')
             AND s.start < %(start)s
       )),
       COUNT(*) FILTER (WHERE u.is_resident),
       COUNT(*) FILTER (WHERE u.is_volunteer),
       COUNT(*) FILTER (WHERE u.is_honorary_worker)
FROM accounts_user u
WHERE NOT u.is_coordinator AND u.id IN (SELECT member_id FROM served)
"""

# Loans checked out in the period per tool type: number, overdue, returned, damaged.
LOANS_BY_TOOL_TYPE = """
SELECT t.id, COUNT(*),
       COUNT(*) FILTER (WHERE l.checked_in_at > b."end"
                        OR (l.checked_in_at IS NULL AND b."end" < %(now)s)),
       COUNT(*) FILTER (WHERE l.status = 'returned'),
       COUNT(*) FILTER (WHERE l.status = 'returned'
                        AND (l.condition_in IN ('damaged', 'out_of_service')
                             OR l.damage_report <> ''))
FROM werkhaus_loan l
JOIN scheduling_booking b ON b.id = l.booking_id
JOIN werkhaus_tooltype t ON t.resource_id = b.resource_id
WHERE l.checked_out_at >= %(start)s AND l.checked_out_at < %(end)s
GROUP BY t.id
"""

# Minutes per local month of the entries whose day begins in the period (the period begins
# and ends at local midnight): approved voluntary, approved honorary, pending; helpers.
HOURS_BY_MONTH = """
SELECT to_char(day, 'YYYY-MM'),
       COALESCE(SUM(minutes) FILTER (WHERE status = 'approved' AND NOT paid), 0),
       COALESCE(SUM(minutes) FILTER (WHERE status = 'approved' AND paid), 0),
       COALESCE(SUM(minutes) FILTER (WHERE status = 'pending'), 0),
       COUNT(DISTINCT member_id) FILTER (WHERE status = 'approved')
FROM garden_hoursentry
WHERE day >= (%(start)s AT TIME ZONE %(zone)s)::date AND day < (%(end)s AT TIME ZONE %(zone)s)::date
GROUP BY 1
"""
