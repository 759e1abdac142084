#!/usr/bin/env python3
"""Generates the fixture round fixtures/huyen-cao-lanh-2023 (illustrative criteria sets,
synthetic assessments), deterministically, and cross-checks the engine's results.

usage:
  scripts/generate-huyen-cao-lanh-2023.py            # (re)writes the round folder
  scripts/generate-huyen-cao-lanh-2023.py --check RESULTS.json
      # compares a results document (from `parindex score`) with this script's own
      # scoring of the same inputs: every unit's max, totals, index, class and rank

Nothing here is real data: the unit names are the real divisions and communes of huyện
Cao Lãnh (Đồng Tháp) before the 2025 reorganisation; everything else is invented. The
scoring below is an independent, deliberately plain implementation of SPEC.md §4, §6 and
§8 for the rule kinds this fixture uses (exact decimals, divide last).
"""
import json
import os
import random
import sys
from decimal import ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 40
D = Decimal
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "huyen-cao-lanh-2023")
ROUND_ID = "huyen-cao-lanh-2023"

# ---------------------------------------------------------------- criteria sets

def leaf(code, title, mx, rule, **extra):
    node = {"code": code, "title": title, "max": mx, "rule": rule}
    node.update(extra)
    return node


def group(code, title, children, **extra):
    node = {"code": code, "title": title, "children": children}
    node.update(extra)
    return node


def bands(kind, spec, otherwise=None):
    rule = {"kind": "bands", "input": kind, "bands": spec}
    if otherwise is not None:
        rule["otherwise"] = otherwise
    return rule


OPTIONS_TUYEN_TRUYEN = {"kind": "options", "options": [
    {"key": "tot", "label": "Thực hiện đầy đủ, đa dạng hình thức", "points": "2"},
    {"key": "kha", "label": "Thực hiện đầy đủ kế hoạch", "points": "1.5"},
    {"key": "dat", "label": "Thực hiện chưa đầy đủ", "points": "0.75"},
    {"key": "chua-dat", "label": "Không thực hiện", "points": "0"}]}

PHONG_SET = {
    "format": "parindex/criteria-set@1",
    "id": "phong-2023",
    "title": "Bộ tiêu chí xác định Chỉ số CCHC các cơ quan chuyên môn thuộc UBND huyện năm 2023 (minh họa)",
    "year": 2023,
    "basis": "Minh họa cho bộ dữ liệu kiểm thử; không phải bộ tiêu chí do UBND huyện Cao Lãnh ban hành",
    "adjustments": {"bonus_max": "1", "penalty_max": "2"},
    "nodes": [
        group("1", "Công tác chỉ đạo, điều hành CCHC", [
            leaf("1.1", "Ban hành kế hoạch CCHC năm 2023 của cơ quan đúng thời hạn", "2",
                 {"kind": "deadline", "due": "2023-01-20", "late_points": "1", "grace_days": 10}),
            leaf("1.2", "Mức độ hoàn thành kế hoạch CCHC năm", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "80", "to": "100", "points": "2"},
                                 {"from": "50", "to": "80", "points": "1"}])),
            leaf("1.3", "Thực hiện chế độ báo cáo CCHC định kỳ (quý, 6 tháng, năm)", "2",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("1.4", "Công tác thông tin, tuyên truyền CCHC", "2", OPTIONS_TUYEN_TRUYEN),
            leaf("1.5", "Tự kiểm tra công tác CCHC tại cơ quan", "1.5", {"kind": "yes_no"}),
            leaf("1.6", "Thực hiện nhiệm vụ UBND huyện giao về CCHC", "1.5",
                 {"kind": "formula", "expr": "round(max_points * x / y, 2)",
                  "variables": {"x": "Số nhiệm vụ hoàn thành đúng hạn", "y": "Tổng số nhiệm vụ được giao"}},
                 not_arising="full"),
        ]),
        group("2", "Cải cách thể chế", [
            leaf("2.1", "Tham mưu ban hành văn bản của UBND huyện theo kế hoạch", "4",
                 {"kind": "proportional", "input": "ratio"}, not_arising="exclude"),
            leaf("2.2", "Rà soát, hệ thống hóa văn bản thuộc lĩnh vực quản lý", "3", {"kind": "yes_no"}),
            leaf("2.3", "Theo dõi thi hành pháp luật trong lĩnh vực quản lý", "3", {"kind": "options", "options": [
                {"key": "tot", "label": "Có kế hoạch, báo cáo đầy đủ, đúng hạn", "points": "3"},
                {"key": "dat", "label": "Có kế hoạch, báo cáo chậm", "points": "1.5"},
                {"key": "khong", "label": "Không thực hiện", "points": "0"}]}),
        ]),
        group("3", "Cải cách thủ tục hành chính", [
            leaf("3.1", "Công khai TTHC thuộc thẩm quyền tham mưu giải quyết", "3", {"kind": "yes_no"}),
            leaf("3.2", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "6",
                 bands("percent", [{"from": "100", "to": "100", "to_inclusive": True, "points": "6"},
                                   {"from": "95", "to": "100", "points": "4"},
                                   {"from": "90", "to": "95", "points": "2"}])),
            leaf("3.3", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", "3",
                 {"kind": "proportional", "input": "ratio"}, not_arising="full"),
            leaf("3.4", "Phản ánh, kiến nghị về TTHC xử lý quá hạn", "3", {"kind": "deduction", "per": "1"}),
            leaf("3.5", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", "5",
                 {"kind": "proportional", "input": "percent", "zero_below": "50", "full_from": "90"}),
        ], applies_to=["has-procedures"]),
        group("4", "Cải cách tổ chức bộ máy hành chính", [
            leaf("4.1", "Quy định chức năng, nhiệm vụ, quy chế làm việc của cơ quan", "3", {"kind": "yes_no"}),
            leaf("4.2", "Số lượng cấp phó theo quy định", "3", {"kind": "yes_no"}),
            leaf("4.3", "Thực hiện kế hoạch tinh giản biên chế", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "70", "to": "100", "points": "1.5"}]),
                 not_arising="full"),
            leaf("4.4", "Kiểm tra việc thực hiện quy định về tổ chức, biên chế", "3",
                 {"kind": "manual", "step": "0.5"}),
        ]),
        group("5", "Cải cách chế độ công vụ", [
            leaf("5.1", "Thực hiện đề án vị trí việc làm", "3", {"kind": "yes_no"}),
            leaf("5.2", "Tỷ lệ công chức đạt chuẩn theo vị trí việc làm", "4",
                 {"kind": "proportional", "input": "ratio", "full_from": "95"}),
            leaf("5.3", "Tỷ lệ công chức được bồi dưỡng theo kế hoạch", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "80", "to": "100", "points": "2"},
                                 {"from": "60", "to": "80", "points": "1"}])),
            leaf("5.4", "Chấp hành kỷ luật, kỷ cương hành chính (số trường hợp vi phạm)", "3",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("5.5", "Đánh giá, xếp loại công chức năm đúng thời hạn", "3",
                 {"kind": "deadline", "due": "2023-12-31", "late_points": "1.5", "grace_days": 15}),
        ]),
        group("6", "Cải cách tài chính công", [
            leaf("6.1", "Tỷ lệ giải ngân vốn đầu tư công được giao", "4",
                 bands("percent", [{"from": "95", "points": "4"}, {"from": "80", "to": "95", "points": "2.5"},
                                   {"from": "60", "to": "80", "points": "1"}]), not_arising="exclude"),
            leaf("6.2", "Ban hành, thực hiện quy chế chi tiêu nội bộ", "3", {"kind": "yes_no"}),
            leaf("6.3", "Công khai dự toán, quyết toán ngân sách", "3", {"kind": "options", "options": [
                {"key": "day-du", "label": "Đầy đủ, đúng hạn", "points": "3"},
                {"key": "cham", "label": "Đầy đủ, chậm", "points": "2"},
                {"key": "thieu", "label": "Chưa đầy đủ", "points": "1"}]}),
        ]),
        group("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", [
            leaf("7.1", "Tỷ lệ văn bản đi, đến dưới dạng điện tử", "4",
                 bands("percent", [{"from": "98", "points": "4"}, {"from": "90", "to": "98", "points": "3"},
                                   {"from": "80", "to": "90", "points": "1.5"}])),
            leaf("7.2", "Tỷ lệ văn bản điện tử được ký số", "4",
                 {"kind": "proportional", "input": "percent", "full_from": "95"}),
            leaf("7.3", "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết trực tuyến", "5",
                 {"kind": "proportional", "input": "ratio"}, applies_to=["has-procedures"]),
            leaf("7.4", "Thanh toán trực tuyến phí, lệ phí", "3",
                 {"kind": "formula",
                  "choices": {"ty-le": "max_points * x / y", "khong-thu-phi": "max_points"},
                  "variables": {"x": "Số hồ sơ thanh toán trực tuyến", "y": "Số hồ sơ có phí, lệ phí"}},
                 applies_to=["has-procedures"]),
            leaf("7.5", "Bảo đảm an toàn thông tin (số sự cố)", "4", {"kind": "deduction", "per": "1"}),
        ]),
    ],
}

XA_SET = {
    "format": "parindex/criteria-set@1",
    "id": "xa-2023",
    "title": "Bộ tiêu chí xác định Chỉ số CCHC UBND các xã, thị trấn năm 2023 (minh họa)",
    "year": 2023,
    "basis": "Minh họa cho bộ dữ liệu kiểm thử; không phải bộ tiêu chí do UBND huyện Cao Lãnh ban hành",
    "adjustments": {"bonus_max": "2", "penalty_max": "2"},
    "nodes": [
        group("1", "Công tác chỉ đạo, điều hành CCHC", [
            leaf("1.1", "Ban hành kế hoạch CCHC năm 2023 đúng thời hạn", "2",
                 {"kind": "deadline", "due": "2023-01-31", "late_points": "1", "grace_days": 15}),
            leaf("1.2", "Mức độ hoàn thành kế hoạch CCHC năm", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "80", "to": "100", "points": "2"},
                                 {"from": "50", "to": "80", "points": "1"}])),
            leaf("1.3", "Thực hiện chế độ báo cáo CCHC định kỳ", "2", {"kind": "deduction", "per": "0.5"}),
            leaf("1.4", "Công tác thông tin, tuyên truyền CCHC", "2", OPTIONS_TUYEN_TRUYEN),
            leaf("1.5", "Vai trò của người đứng đầu trong chỉ đạo CCHC", "1", {"kind": "manual", "step": "0.25"}),
        ]),
        group("2", "Cải cách thể chế", [
            leaf("2.1", "Ban hành văn bản theo thẩm quyền đúng quy định", "3",
                 {"kind": "proportional", "input": "ratio"}, not_arising="exclude"),
            leaf("2.2", "Thực hiện dân chủ ở cơ sở", "2", {"kind": "yes_no"}),
            leaf("2.3", "Tỷ lệ hòa giải thành ở cơ sở", "3",
                 bands("ratio", [{"from": "80", "points": "3"}, {"from": "60", "to": "80", "points": "2"}],
                       otherwise="1"), not_arising="full"),
        ]),
        group("3", "Cải cách thủ tục hành chính", [
            leaf("3.1", "Công khai TTHC tại Bộ phận tiếp nhận và trả kết quả", "3", {"kind": "yes_no"}),
            leaf("3.2", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "6",
                 bands("percent", [{"from": "100", "to": "100", "to_inclusive": True, "points": "6"},
                                   {"from": "95", "to": "100", "points": "4.5"},
                                   {"from": "90", "to": "95", "points": "3"}])),
            leaf("3.3", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", "4",
                 {"kind": "proportional", "input": "percent", "zero_below": "40", "full_from": "90"}),
            leaf("3.4", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", "2",
                 {"kind": "proportional", "input": "ratio"}, not_arising="full"),
            leaf("3.5", "Phản ánh, kiến nghị về TTHC xử lý quá hạn", "2", {"kind": "deduction", "per": "0.5"}),
            leaf("3.6", "Giải quyết hồ sơ hộ tịch, chứng thực điện tử", "3",
                 {"kind": "formula",
                  "choices": {"ty-le": "if(y == 0, max_points, max_points * x / y)",
                              "binh-quan": "round(max_points * (x / y + z / w) / 2, 2)"},
                  "variables": {"x": "Số hồ sơ hộ tịch trực tuyến", "y": "Tổng số hồ sơ hộ tịch",
                                "z": "Số hồ sơ chứng thực điện tử", "w": "Tổng số hồ sơ chứng thực"}}),
        ]),
        group("4", "Cải cách tổ chức bộ máy hành chính", [
            leaf("4.1", "Sắp xếp ấp, khóm theo quy định", "2", {"kind": "yes_no"}),
            leaf("4.2", "Số lượng cán bộ, công chức cấp xã theo quy định", "3", {"kind": "yes_no"}),
            leaf("4.3", "Số người hoạt động không chuyên trách vượt quy định", "3",
                 bands("count", [{"from": "0", "to": "0", "to_inclusive": True, "points": "3"},
                                 {"from": "1", "to": "2", "to_inclusive": True, "points": "1.5"}])),
        ]),
        group("5", "Cải cách chế độ công vụ", [
            leaf("5.1", "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn", "4",
                 {"kind": "proportional", "input": "ratio", "full_from": "95"}),
            leaf("5.2", "Đánh giá, xếp loại cán bộ, công chức đúng thời hạn", "2",
                 {"kind": "deadline", "due": "2023-12-31", "late_points": "1", "grace_days": 15}),
            leaf("5.3", "Chấp hành kỷ luật, kỷ cương hành chính (số trường hợp vi phạm)", "3",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("5.4", "Tỷ lệ cán bộ, công chức được bồi dưỡng", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "80", "to": "100", "points": "2"},
                                 {"from": "60", "to": "80", "points": "1"}])),
        ]),
        group("6", "Cải cách tài chính công", [
            leaf("6.1", "Thu ngân sách so với dự toán huyện giao (%)", "3",
                 bands("number", [{"from": "100", "points": "3"}, {"from": "90", "to": "100", "points": "2"},
                                  {"from": "80", "to": "90", "points": "1"}])),
            leaf("6.2", "Công khai dự toán, quyết toán ngân sách xã", "2", {"kind": "options", "options": [
                {"key": "day-du", "label": "Đầy đủ, đúng hạn", "points": "2"},
                {"key": "cham", "label": "Đầy đủ, chậm", "points": "1"},
                {"key": "thieu", "label": "Chưa đầy đủ", "points": "0"}]}),
            leaf("6.3", "Quản lý, sử dụng tài sản công đúng quy định", "3", {"kind": "yes_no"}),
        ]),
        group("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", [
            leaf("7.1", "Tỷ lệ văn bản đi, đến dưới dạng điện tử", "4",
                 bands("percent", [{"from": "95", "points": "4"}, {"from": "85", "to": "95", "points": "3"},
                                   {"from": "70", "to": "85", "points": "1.5"}])),
            leaf("7.2", "Tỷ lệ văn bản điện tử được ký số", "3",
                 {"kind": "proportional", "input": "percent"}),
            leaf("7.3", "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết trực tuyến", "4",
                 {"kind": "proportional", "input": "ratio"}),
            leaf("7.4", "Bảo đảm an toàn thông tin (số sự cố)", "3", {"kind": "deduction", "per": "1"}),
        ]),
        group("8", "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội", [
            leaf("8.1", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của UBND xã", "8",
                 {"kind": "survey", "weights": {"A": "1", "B": "0.6", "C": "0.2", "D": "0"}}),
            leaf("8.2", "Tính công khai, minh bạch trong hoạt động của UBND xã", "6",
                 {"kind": "survey", "scale": {"min": "1", "max": "5"}}),
            leaf("8.3", "Trách nhiệm giải trình của Chủ tịch UBND xã", "3", {"kind": "survey"}),
            leaf("8.4", "Kết quả xây dựng nông thôn mới năm 2023", "3", {"kind": "options", "options": [
                {"key": "nang-cao", "label": "Đạt chuẩn nông thôn mới nâng cao", "points": "3"},
                {"key": "dat-chuan", "label": "Đạt chuẩn nông thôn mới", "points": "2"},
                {"key": "chua-dat", "label": "Chưa đạt chuẩn", "points": "0.5"}]}, applies_to=["xa"]),
        ]),
    ],
}

CLASSES = [{"label": "Xuất sắc", "from": "90"}, {"label": "Tốt", "from": "80"}, {"label": "Khá", "from": "70"},
           {"label": "Trung bình", "from": "50"}, {"label": "Yếu", "from": "0"}]

DIVISIONS = [
    ("phong-noi-vu", "Phòng Nội vụ", True),
    ("phong-tu-phap", "Phòng Tư pháp", True),
    ("phong-tai-chinh-ke-hoach", "Phòng Tài chính - Kế hoạch", True),
    ("phong-kinh-te-ha-tang", "Phòng Kinh tế và Hạ tầng", True),
    ("phong-nong-nghiep-ptnt", "Phòng Nông nghiệp và PTNT", True),
    ("phong-tai-nguyen-moi-truong", "Phòng Tài nguyên và Môi trường", True),
    ("phong-giao-duc-dao-tao", "Phòng Giáo dục và Đào tạo", True),
    ("phong-y-te", "Phòng Y tế", True),
    ("phong-van-hoa-thong-tin", "Phòng Văn hóa và Thông tin", True),
    ("phong-lao-dong-tbxh", "Phòng Lao động - TB&XH", True),
    ("van-phong-hdnd-ubnd", "Văn phòng HĐND và UBND huyện", True),
    ("thanh-tra-huyen", "Thanh tra huyện", False),
]
# Divisions that manage public investment (leaf 6.1); the others declare that nothing arose.
INVESTORS = {"phong-kinh-te-ha-tang", "phong-nong-nghiep-ptnt", "phong-giao-duc-dao-tao", "phong-y-te",
             "van-phong-hdnd-ubnd"}

COMMUNES = [
    ("tt-my-tho", "Thị trấn Mỹ Thọ", "thi-tran"), ("my-tho", "Xã Mỹ Thọ", "xa"), ("my-long", "Xã Mỹ Long", "xa"),
    ("my-hiep", "Xã Mỹ Hiệp", "xa"), ("binh-hang-trung", "Xã Bình Hàng Trung", "xa"),
    ("binh-hang-tay", "Xã Bình Hàng Tây", "xa"), ("my-xuong", "Xã Mỹ Xương", "xa"),
    ("phuong-tra", "Xã Phương Trà", "xa"), ("phuong-thinh", "Xã Phương Thịnh", "xa"),
    ("tan-nghia", "Xã Tân Nghĩa", "xa"), ("nhi-my", "Xã Nhị Mỹ", "xa"), ("ba-sao", "Xã Ba Sao", "xa"),
    ("gao-giong", "Xã Gáo Giồng", "xa"), ("tan-hoi-trung", "Xã Tân Hội Trung", "xa"), ("an-binh", "Xã An Bình", "xa"),
    ("my-hoi", "Xã Mỹ Hội", "xa"), ("phong-my", "Xã Phong Mỹ", "xa"), ("binh-thanh", "Xã Bình Thạnh", "xa"),
]

ROUND = {
    "format": "parindex/round@1",
    "id": ROUND_ID,
    "title": "Xác định Chỉ số cải cách hành chính năm 2023 của các cơ quan chuyên môn và UBND các xã, thị trấn",
    "year": 2023,
    "evaluator": "UBND huyện Cao Lãnh",
    "rounding": {"decimals": 2, "mode": "half_up"},
    "deadlines": {"self": "2024-01-10"},
    "blocks": [
        {"id": "phong", "title": "Khối cơ quan chuyên môn thuộc UBND huyện", "criteria_set": "criteria/phong-2023.json",
         "survey": False, "classes": CLASSES, "tie_breakers": ["appraised", "exact"]},
        {"id": "xa", "title": "Khối UBND xã, thị trấn", "criteria_set": "criteria/xa-2023.json",
         "survey": True, "classes": CLASSES, "tie_breakers": ["survey", "exact"]},
    ],
    "units": [{"id": i, "name": n, "block": "phong", "tags": ["has-procedures"] if p else [],
               **({"ranked": False} if i == "van-phong-hdnd-ubnd" else {})} for i, n, p in DIVISIONS]
    + [{"id": i, "name": n, "block": "xa", "tags": [t]} for i, n, t in COMMUNES],
}

# ---------------------------------------------------------------- scoring (independent)

def leaves(nodes, wanted=None):
    for n in nodes:
        tags = wanted if n.get("applies_to") is None else (wanted or []) + [tuple(n["applies_to"])]
        if "children" in n:
            yield from leaves(n["children"], tags)
        else:
            yield n, tags or []


def applies(constraints, unit_tags):
    return all(any(t in unit_tags for t in c) for c in constraints)


def day(s):
    import datetime
    return datetime.date.fromisoformat(s)


def rule_points(rule, mx, inp):
    """Points for an input, or None when nothing arose."""
    mx = D(mx)
    k = rule["kind"]
    clamp = lambda v: max(D(0), min(mx, v))
    if k == "yes_no":
        return mx if inp else D(0)
    if k == "options":
        return D(next(o["points"] for o in rule["options"] if o["key"] == inp))
    if k in ("bands", "proportional"):
        kind = rule["input"]
        if kind == "ratio":
            n, d = D(inp["numerator"]), D(inp["denominator"])
            if d == 0:
                return None
            value = n * 100 / d
        else:
            value = D(inp)
        if k == "bands":
            for b in rule["bands"]:
                lo, hi = b.get("from"), b.get("to")
                ok = True
                if lo is not None:
                    ok &= value > D(lo) or (value == D(lo) and b.get("from_inclusive", True))
                if hi is not None:
                    ok &= value < D(hi) or (value == D(hi) and b.get("to_inclusive", False))
                if ok:
                    return D(b["points"])
            return D(rule.get("otherwise", "0"))
        if "zero_below" in rule and value < D(rule["zero_below"]):
            return D(0)
        if "full_from" in rule and value >= D(rule["full_from"]):
            return mx
        if kind == "ratio":
            return clamp(mx * n / d)
        return clamp(mx * value / 100)
    if k == "deduction":
        return clamp(mx - D(rule["per"]) * D(inp))
    if k == "deadline":
        if inp is None:
            return D(0)
        late = (day(inp) - day(rule["due"])).days
        if late <= 0:
            return mx
        return D(rule.get("late_points", "0")) if late <= rule.get("grace_days", 0) else D(0)
    if k == "formula":
        v = {key: D(val) for key, val in inp["values"].items()}
        expr = rule.get("expr") or rule["choices"][inp["choice"]]
        if expr == "round(max_points * x / y, 2)":
            if v["y"] == 0:
                return None
            return clamp((mx * v["x"] / v["y"]).quantize(D("0.01"), rounding=ROUND_HALF_UP))
        if expr == "max_points * x / y":
            return clamp(mx * v["x"] / v["y"]) if v["y"] != 0 else None
        if expr == "max_points":
            return mx
        if expr == "if(y == 0, max_points, max_points * x / y)":
            return mx if v["y"] == 0 else clamp(mx * v["x"] / v["y"])
        if expr == "round(max_points * (x / y + z / w) / 2, 2)":
            return clamp((mx * (v["x"] / v["y"] + v["z"] / v["w"]) / 2).quantize(D("0.01"), rounding=ROUND_HALF_UP))
        raise ValueError(expr)
    if k == "survey":
        if "counts" in inp:
            total = sum(D(c) for c in inp["counts"].values())
            if total == 0:
                return None
            w = sum(D(rule["weights"][a]) * D(c) for a, c in inp["counts"].items())
            return clamp(mx * w / total)
        if "mean" in inp:
            s = rule["scale"]
            return clamp(mx * (D(inp["mean"]) - D(s["min"])) / (D(s["max"]) - D(s["min"])))
        return clamp(mx * D(inp["score"]))
    raise ValueError(k)


def entry_points(node, entry):
    """(points or None for nothing arose) of an entry."""
    if entry.get("not_arising"):
        return None
    if "input" in entry:
        inp = entry["input"]
        if node["rule"]["kind"] == "formula":
            inp = {"values": entry["input"], "choice": entry.get("choice")}
        return rule_points(node["rule"], node["max"], inp)
    return D(entry["points"])


def policy_points(node, pts):
    if pts is not None:
        return pts
    return D(node["max"]) if node.get("not_arising") == "full" else None  # exclude


def score_unit(set_doc, unit, block, a):
    mx = appraised = survey = self_total = D(0)
    for node, constraints in leaves(set_doc["nodes"]):
        if not applies(constraints, unit["tags"]):
            continue
        if node["rule"]["kind"] == "survey":
            if not block["survey"]:
                continue
            e = a.get("survey", {}).get(node["code"])
            pts = D(0) if e is None else policy_points(node, rule_points(node["rule"], node["max"], e))
            if pts is None:
                continue
            survey += pts
            mx += D(node["max"])
            continue
        final = None
        for st in [a.get("self", {})] + a.get("appraisals", []):
            if node["code"] in st.get("entries", {}):
                final = st["entries"][node["code"]]
        if final is None:
            pts = D(0)
        else:
            pts = policy_points(node, entry_points(node, final))
            if pts is None:
                continue
        own = a.get("self", {}).get("entries", {}).get(node["code"])
        own_pts = D(0) if own is None else (policy_points(node, entry_points(node, own)) or D(0))
        self_total += own_pts
        appraised += pts
        mx += D(node["max"])
    caps = set_doc.get("adjustments", {"bonus_max": "0", "penalty_max": "0"})

    def last_list(key):
        lst = a.get("self", {}).get(key, [])
        for ap in a.get("appraisals", []):
            if key in ap:
                lst = ap[key]
        return sum((D(i["points"]) for i in lst), D(0))

    bonus = min(last_list("bonus"), D(caps["bonus_max"]))
    penalty = min(last_list("penalty"), D(caps["penalty_max"]))
    total = max(D(0), min(mx, appraised + survey + bonus - penalty))
    index = total * 100 / mx if mx else D(0)
    return {"max": mx, "self_total": self_total, "appraised_total": appraised, "survey_total": survey,
            "total": total, "index": index}


def present(d):
    return str(d.quantize(D("0.01"), rounding=ROUND_HALF_UP))

# ---------------------------------------------------------------- generating

def fmt(d):
    d = D(d)
    return str(d.quantize(D(1))) if d == d.to_integral() else str(d.normalize())


def doc_no(rng, kind, unit_short):
    return f"{kind} số {rng.randint(12, 480)}/{kind}-{unit_short}"


def make_input(node, q, rng, unit_id):
    """An input worth about q of the max (q in 0..1)."""
    rule = node["rule"]
    k = rule["kind"]
    good = rng.random() < q
    if k == "yes_no":
        return {"input": good or rng.random() < 0.5}
    if k == "options":
        opts = rule["options"]
        i = 0 if rng.random() < q else min(len(opts) - 1, 1 + int(rng.random() * 1.6))
        return {"input": opts[i]["key"]}
    if k == "manual":
        step = D(rule.get("step", "0.25"))
        mx = D(node["max"])
        p = (mx * D(str(round(q, 2))) / step).quantize(D(1)) * step
        return {"points": fmt(min(mx, max(D(0), p)))}
    if k in ("bands", "proportional"):
        kind = rule["input"]
        if kind == "ratio":
            d = rng.randint(6, 60)
            n = d if good else max(0, d - rng.randint(1, max(1, d // 4)))
            return {"input": {"numerator": n, "denominator": d}}
        if kind == "count":
            return {"input": 0 if good else rng.randint(1, 3)}
        if kind == "number":
            return {"input": fmt(D(rng.randint(850, 1120)) / 10)}
        pct = D(100) if (good and rng.random() < 0.5) else D(rng.randint(int(700 + 300 * q), 999)) / 10
        return {"input": fmt(pct)}
    if k == "deduction":
        return {"input": 0 if good else rng.randint(1, 2)}
    if k == "deadline":
        if good:
            return {"input": "2023-01-" + str(rng.randint(3, 18)).zfill(2) if rule["due"].startswith("2023-01") else "2023-12-" + str(rng.randint(15, 29))}
        if rule["due"].startswith("2023-01"):
            return {"input": "2023-02-0" + str(rng.randint(1, 9))}
        return {"input": "2024-01-0" + str(rng.randint(3, 9))}
    if k == "formula":
        if "expr" in rule:
            y = rng.randint(5, 20)
            return {"input": {"x": y if good else y - rng.randint(1, 2), "y": y}}
        if node["code"] == "7.4":
            if rng.random() < 0.2:
                return {"input": {}, "choice": "khong-thu-phi"}
            y = rng.randint(20, 300)
            return {"input": {"x": int(y * (0.6 + 0.4 * q)), "y": y}, "choice": "ty-le"}
        y, w = rng.randint(30, 200), rng.randint(40, 400)
        if rng.random() < 0.5:
            return {"input": {"x": int(y * (0.5 + 0.5 * q)), "y": y}, "choice": "ty-le"}
        return {"input": {"x": int(y * (0.5 + 0.5 * q)), "y": y, "z": int(w * (0.4 + 0.6 * q)), "w": w},
                "choice": "binh-quan"}
    raise ValueError(k)


def better_input(node, entry, rng):
    """What an over-claiming unit enters instead: the best input (or the max)."""
    rule = node["rule"]
    k = rule["kind"]
    if k == "yes_no":
        return {"input": True}
    if k == "options":
        return {"input": rule["options"][0]["key"]}
    if k == "manual":
        return {"points": node["max"]}
    if k in ("bands", "proportional") and rule["input"] == "ratio":
        d = entry["input"]["denominator"]
        return {"input": {"numerator": d, "denominator": d}}
    if k == "bands" and rule["input"] == "count":
        return {"input": 0}
    if k in ("bands", "proportional"):
        return {"input": "100" if rule["input"] == "percent" else "105"}
    if k == "deduction":
        return {"input": 0}
    if k == "deadline":
        return {"input": rule["due"]}
    if k == "formula":
        inp = dict(entry["input"])
        if "y" in inp:
            inp["x"] = inp["y"]
        if "w" in inp:
            inp["z"] = inp["w"]
        out = {"input": inp}
        if "choice" in entry:
            out["choice"] = entry["choice"]
        return out
    raise ValueError(k)


REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện",
    "Xác định lại theo số liệu trên hệ thống phần mềm",
    "Báo cáo gửi chậm so với quy định",
    "Chưa cung cấp văn bản chứng minh kết quả",
    "Số liệu tự chấm không khớp với báo cáo tổng hợp của huyện",
]


def assessment(unit, set_doc, block, rng, q):
    short = "".join(w[0] for w in unit["name"].split() if w[0].isalpha()).upper()
    entries, appraised_inputs = {}, {}
    for node, constraints in leaves(set_doc["nodes"]):
        code = node["code"]
        if node["rule"]["kind"] == "survey":
            continue
        if not applies(constraints, unit["tags"]):
            continue
        if code == "6.1" and set_doc["id"] == "phong-2023" and unit["id"] not in INVESTORS:
            entries[code] = {"not_arising": True, "note": "Cơ quan không được giao vốn đầu tư công năm 2023"}
            continue
        e = make_input(node, q, rng, unit["id"])
        appraised_inputs[code] = e
        entries[code] = dict(e)
    # Over-claims: the unit enters a better input on a few items; the appraisal corrects them.
    candidates = [c for c in appraised_inputs if entry_points(node_by_code(set_doc, c), better_input(node_by_code(set_doc, c), appraised_inputs[c], rng)) != entry_points(node_by_code(set_doc, c), appraised_inputs[c])]
    rng.shuffle(candidates)
    over = sorted(candidates[: rng.randint(3, 6)], key=code_key)
    for c in over:
        entries[c] = better_input(node_by_code(set_doc, c), appraised_inputs[c], rng)
    for c, e in entries.items():
        if "not_arising" in e:
            continue
        e["evidence"] = [{"title": f"{doc_no(rng, rng.choice(['BC', 'KH', 'QĐ']), short)} ngày "
                                   f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2023 của {unit['name']}"}]
        if rng.random() < 0.3:
            e["evidence"][0]["ref"] = f"minh-chung/{c}/{unit['id']}-{c.replace('.', '-')}.pdf"
    stage1, stage2, explanations = {}, {}, {}
    for i, c in enumerate(over):
        stage1[c] = dict(appraised_inputs[c])
        stage1[c]["reason"] = REASONS[(i + len(unit["id"])) % len(REASONS)]
        if i == 0:
            stage1[c]["explain"] = True
            explanations[c] = {"note": "Đơn vị bổ sung tài liệu kiểm chứng theo yêu cầu của Tổ thẩm định",
                               "evidence": [{"title": f"Công văn giải trình số {rng.randint(10, 99)}/{short} ngày 05/02/2024"}]}
            if rng.random() < 0.6:
                stage2[c] = dict(entries[c])
                stage2[c].pop("evidence", None)
                stage2[c]["reason"] = "Chấp nhận giải trình và tài liệu bổ sung"
    doc = {"format": "parindex/assessment@1", "unit": unit["id"],
           "self": {"submitted_at": f"2024-01-0{rng.randint(4, 9)}T{rng.randint(8, 16):02d}:00:00+07:00", "entries": entries},
           "appraisals": [{"stage": 1, "entries": stage1}, {"stage": 2, "final": True, "entries": stage2}]}
    if explanations:
        doc["explanations"] = explanations
    if block["survey"]:
        survey = {}
        for node, constraints in leaves(set_doc["nodes"]):
            if node["rule"]["kind"] != "survey" or not applies(constraints, unit["tags"]):
                continue
            r = node["rule"]
            if "weights" in r:
                n = rng.randint(80, 160)
                a = int(n * (0.45 + 0.5 * q * rng.uniform(0.85, 1.05)))
                b = int((n - a) * 0.7)
                c = int((n - a - b) * 0.7)
                survey[node["code"]] = {"counts": {"A": a, "B": b, "C": c, "D": n - a - b - c}}
            elif "scale" in r:
                survey[node["code"]] = {"mean": fmt(D(int((3.0 + 1.9 * q * rng.uniform(0.85, 1.0)) * 100)) / 100)}
            else:
                survey[node["code"]] = {"score": fmt(D(int((0.55 + 0.44 * q * rng.uniform(0.85, 1.0)) * 1000)) / 1000)}
        doc["survey"] = survey
    return doc


def node_by_code(set_doc, code):
    return next(n for n, _ in leaves(set_doc["nodes"]) if n["code"] == code)


def code_key(c):
    return [int(p) for p in c.split(".")]


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


def generate():
    rng = random.Random(20231231)
    write(os.path.join(ROOT, "round.json"), ROUND)
    write(os.path.join(ROOT, "criteria", "phong-2023.json"), PHONG_SET)
    write(os.path.join(ROOT, "criteria", "xa-2023.json"), XA_SET)
    adir = os.path.join(ROOT, "assessments")
    if os.path.isdir(adir):
        for f in os.listdir(adir):
            os.remove(os.path.join(adir, f))
    for unit in ROUND["units"]:
        block = next(b for b in ROUND["blocks"] if b["id"] == unit["block"])
        set_doc = PHONG_SET if block["id"] == "phong" else XA_SET
        q = rng.uniform(0.5, 0.88)
        doc = assessment(unit, set_doc, block, rng, q)
        uid = unit["id"]
        # Special cases, each named in the README.
        if uid == "gao-giong":
            doc["self"]["submitted_at"] = "2024-01-12T09:30:00+07:00"  # late_submission
        if uid == "ba-sao":
            doc["self"]["entries"].pop("5.2", None)  # missing_entry (no stage scores it)
            for ap in doc["appraisals"]:
                ap["entries"].pop("5.2", None)
        if uid == "phong-y-te":
            e = doc["self"]["entries"]["1.4"]
            e.pop("evidence", None)
            e.pop("note", None)
            if e.get("input") == "chua-dat":
                e["input"] = "kha"  # no_evidence needs points above 0
        if uid == "my-hiep":
            doc["self"]["bonus"] = [{"points": "1", "reason": "Mô hình “Bộ phận một cửa thân thiện” được UBND huyện công nhận"}]
        if uid == "phong-my":
            doc["self"]["bonus"] = [{"points": "1.5", "reason": "Sáng kiến số hóa hồ sơ hộ tịch"}]
            doc["appraisals"][0]["bonus"] = [{"points": "0.5", "reason": "Sáng kiến số hóa hồ sơ hộ tịch (công nhận cấp xã)"}]
        if uid == "phong-tai-nguyen-moi-truong":
            doc["appraisals"][0]["penalty"] = [{"points": "1", "reason": "Để xảy ra sai phạm trong cấp giấy chứng nhận quyền sử dụng đất bị thanh tra kết luận"}]
            doc["class_cap"] = {"label": "Khá", "reason": "Có cán bộ bị xử lý kỷ luật trong năm 2023"}
        if uid == "tan-nghia":
            # A self-assessment with points entered beside the input that do not match it.
            e = doc["self"]["entries"]["1.2"]
            e["input"] = {"numerator": 17, "denominator": 20}
            e["points"] = "3"
        write(os.path.join(adir, f"{uid}.json"), doc)


def check(results_path):
    results = json.load(open(results_path, encoding="utf-8"))
    sets = {"phong": json.load(open(os.path.join(ROOT, "criteria", "phong-2023.json"), encoding="utf-8")),
            "xa": json.load(open(os.path.join(ROOT, "criteria", "xa-2023.json"), encoding="utf-8"))}
    rnd = json.load(open(os.path.join(ROOT, "round.json"), encoding="utf-8"))
    bad = 0
    for block in results["blocks"]:
        bdoc = next(b for b in rnd["blocks"] if b["id"] == block["id"])
        ranked = []
        for row in block["units"]:
            unit = next(u for u in rnd["units"] if u["id"] == row["unit"])
            a = json.load(open(os.path.join(ROOT, "assessments", unit["id"] + ".json"), encoding="utf-8"))
            mine = score_unit(sets[block["id"]], unit, bdoc, a)
            for f in ["max", "self_total", "appraised_total", "survey_total", "total", "index"]:
                if present(mine[f]) != row[f]:
                    bad += 1
                    print(f"{unit['id']}: {f} engine {row[f]}, script {present(mine[f])}")
            if unit.get("ranked", True):
                ranked.append((D(present(mine["index"])), unit["id"], row["rank"]))
        ranked.sort(key=lambda r: -r[0])
        for i, (idx, uid, rank) in enumerate(ranked):
            better = sum(1 for r in ranked if r[0] > idx)
            if rank != better + 1 and not any(r[0] == idx and r[1] != uid for r in ranked):
                bad += 1
                print(f"{uid}: rank engine {rank}, script {better + 1}")
    print("differences:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    generate()
