"""Each quarantine reason in a few words, as (中文, English) templates by key
``reason_name.CODE``: the import summary's list of reasons and the quarantine's name
them so (the codes are :data:`kequn.ingest.reasons.REASONS`; each reason in full, with
its column and value, is ``reason.CODE`` in :mod:`kequn.core.messages_ingest`).
Merged into :data:`kequn.core.messages.MESSAGES`."""

from __future__ import annotations

REASON_NAMES: dict[str, tuple[str, str]] = {
    "reason_name.bad_choice": ("值不在允许范围内", "value not one of those allowed"),
    "reason_name.bad_bool": ("不是“是/否”", "not yes or no"),
    "reason_name.bad_date": ("日期无法识别", "date not understood"),
    "reason_name.birthday_no_year": ("生日缺少年份", "birthday without a year"),
    "reason_name.bad_money": ("金额无法识别", "amount not understood"),
    "reason_name.bad_number": ("数字无法识别", "number not understood"),
    "reason_name.ambiguous_money": ("金额的小数点有歧义", "amount with an unclear decimal mark"),
    "reason_name.missing_required": ("必填字段为空", "required field empty"),
    "reason_name.missing_status": ("订单状态为空", "order status empty"),
    "reason_name.masked_buyer": ("买家已打码，无法区分", "buyer masked, cannot be told apart"),
    "reason_name.id_lost_digits": ("编号被 Excel 截断", "id cut short by Excel"),
    "reason_name.id_control_char": ("编号中含控制字符", "id holding a control character"),
    "reason_name.phone_lost_digits": ("手机号被 Excel 截断", "phone cut short by Excel"),
    "reason_name.number_lost_digits": ("数字被 Excel 截断", "number cut short by Excel"),
    "reason_name.not_a_phone": ("不是电话号码", "not a phone number"),
    "reason_name.not_an_email": ("不是邮箱地址", "not an e-mail address"),
    "reason_name.future_date": ("日期在未来", "date in the future"),
    "reason_name.negative_amount": ("金额为负但不是退款", "negative amount, not a refund"),
    "reason_name.refund_over_amount": ("退款多于实付", "refund more than paid"),
    "reason_name.other_currency": ("币种与其他订单不同", "currency unlike the other orders'"),
    "reason_name.duplicate_id": ("编号在文件中重复", "id repeated in the file"),
    "reason_name.refund_order_rejected": ("所退订单被隔离", "refund of a quarantined order"),
    "reason_name.refund_not_this_order": (
        "退款与已导入的订单不符",
        "refund unlike the order imported",
    ),
    "reason_name.aftersale_order_unknown": ("所退订单未导入", "refund of an order not imported"),
    "reason_name.aftersale_order_unpaid": ("所退订单未付款", "refund of an unpaid order"),
    "reason_name.unknown_customer": ("客户不存在", "customer unknown"),
    "reason_name.customer_of_source": ("客户属于某数据源", "a source's customer"),
    "reason_name.bad_row": ("字段数与表头不一致", "wrong number of fields"),
    "reason_name.unclosed_quote": ("引号未闭合", "quote never closed"),
    # a code an older kequn stored that this one no longer knows
    "reason_name.unknown": ("其他原因（代码 {code}）", "another reason (code {code})"),
    "reason.unknown": (
        "其他原因（代码 {code}）：{column} {value}",
        "another reason (code {code}): {column} {value}",
    ),
}
