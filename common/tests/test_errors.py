"""The one domain error shape and the helper that shows it on a form."""

from django import forms

from common.errors import DomainError, add_to_form


class _Form(forms.Form):
    name = forms.CharField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_a_message_with_a_field():
    error = DomainError("名称：不能为空。", field="name")
    assert str(error) == "名称：不能为空。"
    assert error.errors == {"name": "名称：不能为空。"}
    assert error.messages == ["名称：不能为空。"] and error.field == "name"


def test_a_message_without_a_field_belongs_to_the_whole_record():
    error = DomainError("已归档。")
    assert error.errors == {"__all__": "已归档。"} and error.field is None


def test_several_fields_join_their_messages():
    error = DomainError({"name": "名称：不能为空。", "__all__": "已归档。"})
    assert str(error) == "名称：不能为空。；已归档。"
    assert error.messages == ["名称：不能为空。", "已归档。"] and error.field is None


def test_a_list_of_reasons():
    error = DomainError(["一", "二"])
    assert str(error) == "一；二" and error.messages == ["一", "二"] and error.errors == {"__all__": "一；二"}


def test_a_subclass_is_a_value_error():
    class UnitError(DomainError):
        pass

    assert isinstance(UnitError("x"), ValueError)


def test_add_to_form_puts_messages_on_visible_fields_and_the_rest_on_top():
    form = _Form({"name": "x"})
    assert form.is_valid()
    held = add_to_form(
        form,
        DomainError({"name": "名称有误", "version": "版本有误", "other": "别的", "rows": "表格"}),
        sections=("rows",),
    )
    assert form.errors["name"] == ["名称有误"]
    assert form.non_field_errors() == ["版本有误", "别的"]
    assert held == {"rows": "表格"}


def test_add_to_form_renames_a_service_field():
    form = _Form({"name": "x"})
    form.is_valid()
    add_to_form(form, DomainError("参数有误", field="params"), rename={"params": "name"})
    assert form.errors["name"] == ["参数有误"]
