# Django's Chinese MONTH_DAY_FORMAT pads the month ("03月5日"); Chinese pages write "3月5日".
MONTH_DAY_FORMAT = "n月j日"
