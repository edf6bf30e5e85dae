"""English as the United Nations writes it: day, month, year and a 24-hour clock
("12 September 2022, 23:59"), not Django's American "Sept. 12, 2022, 11:59 p.m."."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
