# Georgian formats, following CLDR (Django's own ka formats use a decimal point and lack the
# non-breaking group separator Georgian writes).
DATE_FORMAT = "j E, Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E, Y, H:i"
YEAR_MONTH_FORMAT = "F, Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
