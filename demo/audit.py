"""Readable Chinese label of the demo's audit action code, registered from ``DemoConfig.ready()``.

The code keeps its first name, ``common.demo.seeded``, so entries written before the demo had an
app of its own still read the same (and the hash chain is untouched)."""

from django.utils.translation import gettext_lazy as _

from common.logdisplay import register

register({"common.demo.seeded": _("载入演示数据")})
