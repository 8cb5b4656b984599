# Dates and times: datetime, time, calendar, zoneinfo (with its time-zone data)
import calendar
import datetime as dt
import time
import zoneinfo

d = dt.datetime(2024, 2, 29, 13, 45, 30, tzinfo=dt.timezone.utc)
print(d.isoformat(), d + dt.timedelta(days=1, hours=12), d.strftime("%A %d %B %Y %H:%M"), d.timestamp())
print(dt.date(2024, 1, 1).isocalendar(), dt.date.fromisoformat("2023-12-31").toordinal(), dt.date(2000, 1, 1).weekday())
print(dt.datetime.strptime("2021-03-04 05:06", "%Y-%m-%d %H:%M"), dt.timedelta(seconds=3661), dt.datetime.fromtimestamp(0, dt.timezone.utc))
paris = zoneinfo.ZoneInfo("Europe/Paris")
ny = zoneinfo.ZoneInfo("America/New_York")
summer = dt.datetime(2024, 7, 1, 12, tzinfo=paris)
winter = dt.datetime(2024, 1, 1, 12, tzinfo=paris)
print(summer.utcoffset(), winter.utcoffset(), summer.tzname(), winter.tzname(), summer.astimezone(ny))
print(dt.datetime(2024, 3, 10, 1, 30, tzinfo=ny) + dt.timedelta(hours=1), zoneinfo.ZoneInfo("Asia/Kolkata").utcoffset(None))
print(dt.datetime(2024, 6, 1, tzinfo=zoneinfo.ZoneInfo("UTC")).utcoffset(), "Europe/Berlin" in zoneinfo.available_timezones())
print(time.gmtime(0)[:6], time.strftime("%Y-%m-%d", time.gmtime(86400 * 365)), time.mktime(time.gmtime(0)) is not None)
print(calendar.isleap(2024), calendar.monthrange(2024, 2), calendar.day_name[0], calendar.timegm((2020, 1, 1, 0, 0, 0)))
print(calendar.month(2024, 2))
