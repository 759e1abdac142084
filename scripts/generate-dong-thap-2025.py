#!/usr/bin/env python3
"""Generates the fixture round fixtures/dong-thap-2025 (illustrative version-2 criteria sets,
synthetic assessments), deterministically, and cross-checks the engine's results.

usage:
  scripts/generate-dong-thap-2025.py                 # (re)writes the round folder
  scripts/generate-dong-thap-2025.py --check RESULTS.json
      # compares a results document (from `parindex score fixtures/dong-thap-2025`) with
      # this script's own scoring of the same inputs: every unit's status, rank, class,
      # index, totals, bonus, penalty, and every node row (points, max, index, self, excluded)
  scripts/generate-dong-thap-2025.py --expected      # prints the script's own results (SPEC §9 shape)
  scripts/generate-dong-thap-2025.py --model-case DIR [DIR …]
      # scores a conformance case folder (round.json, criteria, assessments) with the model
      # below and compares it with the folder's expected.json, findings included

Real: the unit names (the departments of the new Đồng Tháp, and the 102 communes and wards
of Nghị quyết 1663/NQ-UBTVQH15); see the fixture's README for the sources and what could
not be confirmed. Everything else is invented. The scoring model below is an independent,
deliberately plain implementation of SPEC.md §4, §5, §6, §8 and §11 for the rule kinds this
fixture uses (exact decimals, prec 40, divide last); it shares no code with the engine.
"""
import datetime
import json
import os
import random
import sys
import unicodedata
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 40
D = Decimal
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "dong-thap-2025")
ROUND_ID = "dong-thap-2025"

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


ABCD = {"A": "1", "B": "0.6", "C": "0.2", "D": "0"}
SO_GROUPS = {"nguoi-dan": "0.5", "doanh-nghiep": "0.3", "cong-chuc": "0.2"}
XA_GROUPS = {"nguoi-dan": "0.7", "to-chuc": "0.3"}
BASIS = ("Minh họa: cấu trúc 8 lĩnh vực của Bộ Chỉ số CCHC cấp tỉnh (QĐ số 876/QĐ-BNV ngày 10/11/2022) "
         "và phương pháp QĐ số 1602/QĐ-UBND-HC ngày 21/10/2021 của UBND tỉnh Đồng Tháp; "
         "không phải bộ tiêu chí do UBND tỉnh Đồng Tháp ban hành cho năm 2025")

TUYEN_TRUYEN = {"kind": "options", "options": [
    {"key": "tot", "label": "Thực hiện đầy đủ, đa dạng hình thức", "points": "1"},
    {"key": "kha", "label": "Thực hiện đầy đủ kế hoạch", "points": "0.75"},
    {"key": "dat", "label": "Thực hiện chưa đầy đủ", "points": "0.5"},
    {"key": "chua-dat", "label": "Không thực hiện", "points": "0"}]}

SO_SET = {
    "format": "parindex/criteria-set@2",
    "id": "so-2025",
    "title": "Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành tỉnh năm 2025 (minh họa)",
    "year": 2025,
    "basis": BASIS,
    "adjustments": {"bonus_max": "2", "penalty_max": "3"},
    "nodes": [
        group("1", "Công tác chỉ đạo, điều hành CCHC", [
            group("1.1", "Xây dựng và thực hiện kế hoạch CCHC năm 2025 sau hợp nhất tỉnh", [
                leaf("1.1.1", "Ban hành kế hoạch CCHC 6 tháng cuối năm 2025 đúng thời hạn", "1",
                     {"kind": "deadline", "due": "2025-07-31", "late_points": "0.5", "grace_days": 15},
                     evidence="required"),
                leaf("1.1.2", "Mức độ hoàn thành kế hoạch CCHC (chỉ tính khi đã ban hành kế hoạch)", "2",
                     {"kind": "formula", "refs": {"kh": "1.1.1"},
                      "variables": {"x": "Số nhiệm vụ hoàn thành", "n": "Tổng số nhiệm vụ trong kế hoạch"},
                      "expr": "if(kh > 0, max_points * x / n, 0)"}),
                leaf("1.1.3", "Kiểm tra công tác CCHC tại các đơn vị trực thuộc", "1",
                     bands("ratio", [{"from": "100", "points": "1"}, {"from": "50", "to": "100", "points": "0.5"}]),
                     not_arising="exclude"),
            ], max="4"),
            leaf("1.2", "Thực hiện chế độ báo cáo CCHC định kỳ (số báo cáo chậm, thiếu)", "1.5",
                 {"kind": "deduction", "per": "0.25"}),
            leaf("1.3", "Công tác thông tin, tuyên truyền CCHC", "1", TUYEN_TRUYEN),
            leaf("1.4", "Thực hiện nhiệm vụ UBND tỉnh giao về CCHC", "2",
                 {"kind": "formula",
                  "choices": {"dung-han": "max_points * x / y", "co-tre-han": "max_points * (x + z / 2) / y"},
                  "variables": {"x": "Số nhiệm vụ hoàn thành đúng hạn", "z": "Số nhiệm vụ hoàn thành quá hạn",
                                "y": "Tổng số nhiệm vụ được giao"}},
                 not_arising="full"),
            leaf("1.5", "Hoàn thành toàn diện công tác chỉ đạo, điều hành (tính từ 1.1 và 1.2)", "0.5",
                 {"kind": "formula", "refs": {"kh": "1.1", "bc": "1.2"},
                  "expr": "if(kh >= 3.5 && bc >= 1.5, max_points, 0)"}, source="derived"),
        ]),
        group("2", "Cải cách thể chế", [
            leaf("2.1", "Tham mưu ban hành VBQPPL theo kế hoạch", "2",
                 bands("ratio", [{"from": "100", "points": "2"}, {"from": "80", "to": "100", "points": "1.25"}]),
                 not_arising="full"),
            leaf("2.2", "Số VBQPPL do cơ quan tham mưu bị cơ quan có thẩm quyền kiến nghị xử lý", "1.5",
                 bands("count", [{"to": "0", "to_inclusive": True, "points": "1.5"},
                                 {"from": "1", "to": "2", "to_inclusive": True, "points": "0.75"}])),
            leaf("2.3", "Rà soát, hệ thống hóa VBQPPL sau sắp xếp đơn vị hành chính", "1.5", {"kind": "options", "options": [
                {"key": "dung-han", "label": "Thực hiện đầy đủ, đúng thời hạn", "points": "1.5"},
                {"key": "tre-han", "label": "Thực hiện đầy đủ nhưng chậm", "points": "0.75"},
                {"key": "khong", "label": "Không thực hiện", "points": "0"}]}),
            leaf("2.4", "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật", "1.5",
                 {"kind": "deadline", "due": "2025-03-31", "late_points": "0.75", "grace_days": 30},
                 evidence="required"),
            leaf("2.5", "Tính hợp lý, khả thi của VBQPPL do cơ quan tham mưu", "1.5",
                 {"kind": "survey", "scale": {"min": "1", "max": "4"}}, source="survey"),
        ]),
        group("3", "Cải cách thủ tục hành chính", [
            group("3.1", "Kiểm soát TTHC", [
                leaf("3.1.1", "Ban hành kế hoạch rà soát, đánh giá TTHC", "1.5", {"kind": "yes_no"}, evidence="required"),
                leaf("3.1.2", "Công bố, công khai TTHC kịp thời, đầy đủ (số TTHC công bố chậm)", "1.5",
                     {"kind": "deduction", "per": "0.25"}, applies_to=["has-procedures"]),
            ]),
            group("3.2", "Thực hiện cơ chế một cửa, một cửa liên thông", [
                leaf("3.2.1", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "4",
                     bands("percent", [{"from": "98", "points": "4"}, {"from": "95", "to": "98", "points": "3"},
                                       {"from": "90", "to": "95", "points": "1.5"}])),
                leaf("3.2.2", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", "2.5",
                     {"kind": "proportional", "input": "percent", "zero_below": "40", "full_from": "90"}),
                leaf("3.2.3", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", "1",
                     {"kind": "proportional", "input": "ratio"}, not_arising="full"),
            ], applies_to=["has-procedures"]),
            leaf("3.3", "Tỷ lệ phản ánh, kiến nghị về TTHC được xử lý đúng hạn", "2",
                 {"kind": "proportional", "input": "ratio"}, applies_to=["has-procedures"], not_arising="full"),
            leaf("3.4", "Mức độ công khai, minh bạch trong giải quyết TTHC", "1.5",
                 {"kind": "survey", "weights": ABCD, "groups": {"nguoi-dan": "0.6", "doanh-nghiep": "0.4"},
                  "zero_below": "0.5"}, source="survey", applies_to=["has-procedures"]),
        ]),
        group("4", "Cải cách tổ chức bộ máy hành chính", [
            leaf("4.1", "Quy định chức năng, nhiệm vụ, cơ cấu tổ chức sau sắp xếp", "2.5", {"kind": "options", "options": [
                {"key": "dung", "label": "Thực hiện đúng quy định, đúng thời hạn", "points": "2.5"},
                {"key": "sai-sot", "label": "Còn sai sót, đã khắc phục", "points": "1.25"},
                {"key": "khong", "label": "Chưa thực hiện", "points": "0"}]}),
            group("4.2", "Sắp xếp, tinh gọn tổ chức bộ máy", [
                leaf("4.2.1", "Thực hiện quy định về số lượng cấp phó", "1.5", {"kind": "yes_no"}),
                leaf("4.2.2", "Tỷ lệ giảm đơn vị sự nghiệp công lập trực thuộc", "2",
                     bands("percent", [{"from": "10", "points": "2"}, {"from": "5", "to": "10", "points": "1"},
                                       {"from": "0", "from_inclusive": False, "to": "5", "points": "0.5"}]),
                     not_arising="exclude"),
            ]),
            leaf("4.3", "Kết quả kiểm tra của Sở Nội vụ về tổ chức bộ máy, biên chế (Hội đồng thẩm định chấm)", "1",
                 {"kind": "manual", "step": "0.5"}, source="appraisal"),
            leaf("4.4", "Sự hợp lý trong tổ chức bộ máy của cơ quan", "1",
                 {"kind": "survey", "weights": ABCD}, source="survey"),
        ]),
        group("5", "Cải cách chế độ công vụ", [
            group("5.1", "Vị trí việc làm và bố trí công chức", [
                leaf("5.1.1", "Điều chỉnh đề án vị trí việc làm sau sắp xếp", "1.5",
                     {"kind": "deadline", "due": "2025-09-30", "late_points": "0.75", "grace_days": 30}),
                leaf("5.1.2", "Tỷ lệ công chức được bố trí đúng vị trí việc làm", "2",
                     {"kind": "proportional", "input": "ratio", "zero_below": "80"}),
            ]),
            leaf("5.2", "Thực hiện quy định về tuyển dụng, bổ nhiệm", "1.5", {"kind": "yes_no"}, not_arising="full"),
            leaf("5.3", "Tỷ lệ công chức hoàn thành bồi dưỡng theo kế hoạch", "2",
                 bands("ratio", [{"from": "100", "points": "2"}, {"from": "90", "to": "100", "points": "1.5"},
                                 {"from": "70", "to": "90", "points": "0.75"}])),
            leaf("5.4", "Chấp hành kỷ luật, kỷ cương hành chính (số trường hợp vi phạm)", "2",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("5.5", "Tinh thần trách nhiệm, thái độ phục vụ của công chức", "2",
                 {"kind": "survey", "weights": ABCD, "groups": SO_GROUPS, "full_from": "0.95"}, source="survey"),
            leaf("5.6", "Thực hiện văn hóa công vụ", "1", {"kind": "manual", "step": "0.25"}),
        ]),
        group("6", "Cải cách tài chính công", [
            leaf("6.1", "Tỷ lệ giải ngân kế hoạch vốn đầu tư công năm 2025", "2",
                 bands("percent", [{"from": "95", "points": "2"}, {"from": "80", "to": "95", "points": "1.5"},
                                   {"from": "60", "to": "80", "points": "0.5"}]), not_arising="exclude"),
            leaf("6.2", "Ban hành, thực hiện quy chế chi tiêu nội bộ", "1.5", {"kind": "yes_no"}, evidence="required"),
            leaf("6.3", "Thực hiện cơ chế tự chủ tại đơn vị sự nghiệp công lập trực thuộc", "1.5", {"kind": "options", "options": [
                {"key": "tang", "label": "Tăng mức tự chủ so với năm 2024", "points": "1.5"},
                {"key": "giu", "label": "Giữ nguyên mức tự chủ", "points": "0.75"},
                {"key": "giam", "label": "Giảm mức tự chủ", "points": "0"}]}, not_arising="exclude"),
            leaf("6.4", "Thực hiện kết luận thanh tra, kiểm toán về tài chính", "2", {"kind": "manual", "step": "0.25"}),
        ]),
        group("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", [
            group("7.1", "Ứng dụng công nghệ thông tin trong hoạt động của cơ quan", [
                leaf("7.1.1", "Tỷ lệ văn bản đi, đến được gửi, nhận dưới dạng điện tử", "3",
                     bands("percent", [{"from": "98", "points": "3"}, {"from": "90", "to": "98", "points": "2"},
                                       {"from": "80", "to": "90", "points": "1"}])),
                leaf("7.1.2", "Tỷ lệ văn bản điện tử được ký số", "2",
                     {"kind": "proportional", "input": "percent", "full_from": "95"}),
                leaf("7.1.3", "Bảo đảm an toàn thông tin mạng (số sự cố)", "1.5", {"kind": "deduction", "per": "0.5"}),
            ]),
            group("7.2", "Cung cấp dịch vụ công trực tuyến", [
                leaf("7.2.1", "Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình", "3",
                     {"kind": "proportional", "input": "percent", "zero_below": "20", "full_from": "60"}),
                leaf("7.2.2", "Thanh toán trực tuyến phí, lệ phí", "1.5",
                     {"kind": "formula",
                      "choices": {"ty-le": "max_points * x / y", "khong-thu-phi": "max_points"},
                      "variables": {"x": "Số hồ sơ thanh toán trực tuyến", "y": "Số hồ sơ có phí, lệ phí"}}),
            ], applies_to=["has-procedures"]),
            leaf("7.3", "Kết quả thực hiện các chỉ tiêu chuyển đổi số năm 2025", "2.5",
                 {"kind": "formula", "variables": {"a": "Số chỉ tiêu đạt", "b": "Tổng số chỉ tiêu được giao"},
                  "expr": "if(a >= b, max_points, round(max_points * a / b, 2))"}, not_arising="full"),
            leaf("7.4", "Mức độ hài lòng về cung cấp dịch vụ công trực tuyến", "2",
                 {"kind": "survey", "weights": ABCD, "groups": {"nguoi-dan": "0.6", "doanh-nghiep": "0.4"}},
                 source="survey"),
            leaf("7.5", "Thanh toán trực tuyến tương xứng với tiếp nhận trực tuyến (tính từ 7.2.1 và 7.2.2; "
                        "không có điểm tiếp nhận trực tuyến thì không tính)", "0.5",
                 {"kind": "formula", "refs": {"tt": "7.2.2", "hs": "7.2.1"},
                  "expr": "min(max_points, max_points * (tt / 1.5) / (hs / 3))"},
                 source="derived", not_arising="exclude"),
        ]),
        group("8", "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội", [
            group("8.1", "Tác động đến người dân, tổ chức", [
                leaf("8.1.1", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan", "6",
                     {"kind": "survey", "weights": ABCD, "groups": SO_GROUPS, "zero_below": "0.5"}, source="survey"),
                leaf("8.1.2", "Tính công khai, minh bạch trong hoạt động của cơ quan", "4",
                     {"kind": "survey", "weights": ABCD, "groups": SO_GROUPS}, source="survey"),
                leaf("8.1.3", "Trách nhiệm giải trình của người đứng đầu cơ quan", "4",
                     {"kind": "survey", "scale": {"min": "1", "max": "4"}}, source="survey"),
            ]),
            group("8.2", "Tác động đến quản lý nhà nước và phát triển kinh tế - xã hội", [
                leaf("8.2.1", "Chất lượng tham mưu chính sách trong ngành, lĩnh vực", "4",
                     {"kind": "survey", "weights": ABCD, "groups": SO_GROUPS, "full_from": "0.9"}, source="survey"),
                leaf("8.2.2", "Hiệu quả phối hợp giữa các cơ quan trong giải quyết công việc", "3.5",
                     {"kind": "survey", "scale": {"min": "1", "max": "4"}}, source="survey"),
                leaf("8.2.3", "Mức độ hoàn thành chỉ tiêu phát triển kinh tế - xã hội được giao", "3",
                     bands("ratio", [{"from": "100", "points": "3"}, {"from": "90", "to": "100", "points": "2"},
                                     {"from": "80", "to": "90", "points": "1"}])),
                leaf("8.2.4", "Đóng góp cải thiện các chỉ số PCI, PAPI, SIPAS, PAR INDEX của tỉnh (Hội đồng đánh giá)", "1.5",
                     {"kind": "options", "options": [
                         {"key": "tang", "label": "Chỉ số thành phần được phân công phụ trách tăng điểm", "points": "1.5"},
                         {"key": "giu", "label": "Giữ nguyên", "points": "0.75"},
                         {"key": "giam", "label": "Giảm điểm", "points": "0"}]}, source="appraisal"),
            ]),
        ]),
        group("9", "Điểm thưởng", [
            leaf("9.1", "Sáng kiến, mô hình, giải pháp CCHC được cấp có thẩm quyền công nhận (0,25 điểm/sáng kiến)", "1",
                 {"kind": "per_item", "per": "0.25"}),
            leaf("9.2", "Được UBND tỉnh khen thưởng về chuyển đổi số, vận hành chính quyền hai cấp", "0.5",
                 {"kind": "yes_no"}),
            leaf("9.3", "Mô hình CCHC được bộ, ngành trung ương công nhận, nhân rộng", "0.5", {"kind": "yes_no"}),
        ], counts="bonus"),
        group("10", "Điểm trừ", [
            leaf("10.1", "Báo cáo CCHC gửi chậm theo yêu cầu của UBND tỉnh (0,25 điểm/báo cáo)", "1",
                 {"kind": "per_item", "per": "0.25"}),
            leaf("10.2", "Để xảy ra sai phạm trong giải quyết TTHC bị cơ quan có thẩm quyền kết luận (0,5 điểm/vụ việc)", "1.5",
                 {"kind": "per_item", "per": "0.5"}),
            leaf("10.3", "Nộp hồ sơ tự đánh giá chậm so với thời hạn (số ngày chậm)", "0.5",
                 bands("count", [{"from": "1", "to": "5", "to_inclusive": True, "points": "0.25"},
                                 {"from": "6", "points": "0.5"}])),
        ], counts="penalty"),
    ],
}

XA_SET = {
    "format": "parindex/criteria-set@2",
    "id": "xa-2025",
    "title": "Bộ tiêu chí xác định Chỉ số cải cách hành chính của UBND các xã, phường năm 2025 (minh họa)",
    "year": 2025,
    "basis": BASIS,
    "adjustments": {"bonus_max": "1.5", "penalty_max": "2"},
    "nodes": [
        group("1", "Công tác chỉ đạo, điều hành CCHC", [
            leaf("1.1", "Ban hành kế hoạch CCHC năm 2025 của UBND xã, phường mới (sau ngày 01/7/2025)", "2",
                 {"kind": "deadline", "due": "2025-07-31", "late_points": "1", "grace_days": 15}, evidence="required"),
            leaf("1.2", "Mức độ hoàn thành kế hoạch CCHC (chỉ tính khi đã ban hành kế hoạch)", "2.5",
                 {"kind": "formula", "refs": {"kh": "1.1"},
                  "variables": {"x": "Số nhiệm vụ hoàn thành", "n": "Tổng số nhiệm vụ trong kế hoạch"},
                  "expr": "if(kh > 0, max_points * x / n, 0)"}),
            leaf("1.3", "Thực hiện chế độ báo cáo CCHC định kỳ (số báo cáo chậm, thiếu)", "2",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("1.4", "Công tác thông tin, tuyên truyền CCHC", "2", {"kind": "options", "options": [
                {"key": "tot", "label": "Thực hiện đầy đủ, đa dạng hình thức", "points": "2"},
                {"key": "kha", "label": "Thực hiện đầy đủ kế hoạch", "points": "1.5"},
                {"key": "dat", "label": "Thực hiện chưa đầy đủ", "points": "0.75"},
                {"key": "chua-dat", "label": "Không thực hiện", "points": "0"}]}),
            leaf("1.5", "Vai trò của người đứng đầu trong chỉ đạo CCHC", "1", {"kind": "manual", "step": "0.25"}),
            leaf("1.6", "Chỉ đạo, điều hành đồng bộ (tính từ 1.1, 1.2 và 1.3)", "0.5",
                 {"kind": "formula", "refs": {"kh": "1.1", "th": "1.2", "bc": "1.3"},
                  "expr": "if(kh > 0 && bc >= 1.5, max_points * th / 2.5, 0)"}, source="derived"),
        ]),
        group("2", "Cải cách thể chế", [
            leaf("2.1", "Ban hành văn bản theo thẩm quyền đúng quy định", "2",
                 {"kind": "proportional", "input": "ratio"}, not_arising="exclude"),
            leaf("2.2", "Thực hiện dân chủ ở cơ sở", "1.5", {"kind": "yes_no"}),
            leaf("2.3", "Tỷ lệ hòa giải thành ở cơ sở", "2",
                 bands("ratio", [{"from": "80", "points": "2"}, {"from": "60", "to": "80", "points": "1.25"}],
                       otherwise="0.5"), not_arising="full"),
            leaf("2.4", "Xây dựng xã, phường đạt chuẩn tiếp cận pháp luật", "1.5", {"kind": "options", "options": [
                {"key": "dat", "label": "Đạt chuẩn", "points": "1.5"},
                {"key": "khong", "label": "Chưa đạt chuẩn", "points": "0"}]}),
        ]),
        group("3", "Cải cách thủ tục hành chính", [
            leaf("3.1", "Công khai TTHC tại Bộ phận Một cửa và trên Cổng dịch vụ công", "2", {"kind": "yes_no"},
                 evidence="required"),
            leaf("3.2", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "4",
                 bands("percent", [{"from": "100", "to": "100", "to_inclusive": True, "points": "4"},
                                   {"from": "95", "to": "100", "points": "3"},
                                   {"from": "90", "to": "95", "points": "2"}])),
            leaf("3.3", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", "3",
                 {"kind": "proportional", "input": "percent", "zero_below": "40", "full_from": "90"}),
            leaf("3.4", "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi", "1.5",
                 {"kind": "proportional", "input": "ratio"}, not_arising="full"),
            leaf("3.5", "Phản ánh, kiến nghị về TTHC xử lý quá hạn", "1.5", {"kind": "deduction", "per": "0.5"}),
            leaf("3.6", "Giải quyết hồ sơ hộ tịch, chứng thực điện tử", "2",
                 {"kind": "formula",
                  "choices": {"ty-le": "if(y == 0, max_points, max_points * x / y)",
                              "binh-quan": "round(max_points * (x / y + z / w) / 2, 2)"},
                  "variables": {"x": "Số hồ sơ hộ tịch trực tuyến", "y": "Tổng số hồ sơ hộ tịch",
                                "z": "Số hồ sơ chứng thực điện tử", "w": "Tổng số hồ sơ chứng thực"}}),
            leaf("3.7", "Số hóa tương xứng với giải quyết đúng hạn (tính từ 3.2 và 3.3; 3.2 không có điểm thì không tính)", "1",
                 {"kind": "formula", "refs": {"sh": "3.3", "dh": "3.2"},
                  "expr": "min(max_points, max_points * (sh / 3) / (dh / 4))"},
                 source="derived", not_arising="exclude"),
            leaf("3.8", "Mức độ công khai, minh bạch trong giải quyết TTHC", "1",
                 {"kind": "survey", "weights": ABCD, "groups": XA_GROUPS, "zero_below": "0.5"}, source="survey"),
        ]),
        group("4", "Cải cách tổ chức bộ máy hành chính", [
            leaf("4.1", "Sắp xếp ấp, khóm, khu phố theo quy định", "1.5", {"kind": "yes_no"}),
            leaf("4.2", "Bố trí cán bộ, công chức cấp xã theo quy định sau sắp xếp", "2", {"kind": "yes_no"}),
            leaf("4.3", "Số người hoạt động không chuyên trách vượt quy định", "2",
                 bands("count", [{"from": "0", "to": "0", "to_inclusive": True, "points": "2"},
                                 {"from": "1", "to": "2", "to_inclusive": True, "points": "1"}])),
            leaf("4.4", "Kết quả kiểm tra vận hành bộ máy chính quyền cấp xã mới (Hội đồng thẩm định chấm)", "1.5",
                 {"kind": "options", "options": [
                     {"key": "tot", "label": "Vận hành thông suốt, đúng quy định", "points": "1.5"},
                     {"key": "dat", "label": "Cơ bản đáp ứng, còn hạn chế", "points": "0.75"},
                     {"key": "khong", "label": "Chưa đáp ứng", "points": "0"}]}, source="appraisal"),
        ]),
        group("5", "Cải cách chế độ công vụ", [
            leaf("5.1", "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn theo vị trí việc làm", "3",
                 {"kind": "proportional", "input": "ratio", "full_from": "95"}),
            leaf("5.2", "Đánh giá, xếp loại cán bộ, công chức đúng thời hạn", "2",
                 {"kind": "deadline", "due": "2025-12-31", "late_points": "1", "grace_days": 15}),
            leaf("5.3", "Chấp hành kỷ luật, kỷ cương hành chính (số trường hợp vi phạm)", "2",
                 {"kind": "deduction", "per": "0.5"}),
            leaf("5.4", "Tỷ lệ cán bộ, công chức được bồi dưỡng", "2",
                 bands("ratio", [{"from": "100", "points": "2"}, {"from": "80", "to": "100", "points": "1.5"},
                                 {"from": "60", "to": "80", "points": "0.5"}])),
            leaf("5.5", "Tinh thần trách nhiệm, thái độ phục vụ của cán bộ, công chức", "2",
                 {"kind": "survey", "weights": ABCD, "groups": XA_GROUPS, "full_from": "0.95"}, source="survey"),
        ]),
        group("6", "Cải cách tài chính công", [
            leaf("6.1", "Thu ngân sách so với dự toán được giao (%)", "2",
                 bands("number", [{"from": "100", "points": "2"}, {"from": "90", "to": "100", "points": "1.5"},
                                  {"from": "80", "to": "90", "points": "0.5"}])),
            leaf("6.2", "Công khai dự toán, quyết toán ngân sách", "1.5", {"kind": "options", "options": [
                {"key": "day-du", "label": "Đầy đủ, đúng hạn", "points": "1.5"},
                {"key": "cham", "label": "Đầy đủ, chậm", "points": "0.75"},
                {"key": "thieu", "label": "Chưa đầy đủ", "points": "0"}]}),
            leaf("6.3", "Tiếp nhận, quản lý tài sản công khi sắp xếp đơn vị hành chính", "1.5", {"kind": "yes_no"},
                 evidence="required"),
            leaf("6.4", "Thực hiện kết luận thanh tra, kiểm toán về tài chính", "1", {"kind": "manual", "step": "0.25"}),
        ]),
        group("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", [
            leaf("7.1", "Tỷ lệ văn bản đi, đến dưới dạng điện tử", "3",
                 bands("percent", [{"from": "95", "points": "3"}, {"from": "85", "to": "95", "points": "2"},
                                   {"from": "70", "to": "85", "points": "1"}])),
            leaf("7.2", "Tỷ lệ văn bản điện tử được ký số", "2.5", {"kind": "proportional", "input": "percent"}),
            leaf("7.3", "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết trực tuyến", "3.5",
                 {"kind": "proportional", "input": "ratio"}),
            leaf("7.4", "Bảo đảm an toàn thông tin (số sự cố)", "2", {"kind": "deduction", "per": "1"}),
            leaf("7.5", "Kết quả thực hiện các chỉ tiêu chuyển đổi số năm 2025", "3",
                 {"kind": "formula", "variables": {"a": "Số chỉ tiêu đạt", "b": "Tổng số chỉ tiêu được giao"},
                  "expr": "if(a >= b, max_points, round(max_points * a / b, 2))"}, not_arising="full"),
        ]),
        group("8", "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội", [
            leaf("8.1", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của UBND xã, phường", "9",
                 {"kind": "survey", "weights": ABCD, "groups": XA_GROUPS, "zero_below": "0.5"}, source="survey"),
            leaf("8.2", "Tính công khai, minh bạch trong hoạt động của UBND xã, phường", "6",
                 {"kind": "survey", "scale": {"min": "1", "max": "5"}}, source="survey"),
            leaf("8.3", "Trách nhiệm giải trình của Chủ tịch UBND xã, phường", "4",
                 {"kind": "survey", "groups": XA_GROUPS}, source="survey"),
            leaf("8.4", "Kết quả xây dựng nông thôn mới năm 2025", "3", {"kind": "options", "options": [
                {"key": "nang-cao", "label": "Đạt chuẩn nông thôn mới nâng cao", "points": "3"},
                {"key": "dat-chuan", "label": "Đạt chuẩn nông thôn mới", "points": "2"},
                {"key": "chua-dat", "label": "Chưa đạt chuẩn", "points": "0.5"}]}, applies_to=["xa"]),
            leaf("8.5", "Mức độ hoàn thành chỉ tiêu phát triển kinh tế - xã hội được giao", "3",
                 bands("ratio", [{"from": "100", "points": "3"}, {"from": "90", "to": "100", "points": "2"},
                                 {"from": "80", "to": "90", "points": "1"}])),
            leaf("8.6", "Bảo đảm an ninh, trật tự tại Bộ phận Một cửa (không để xảy ra khiếu kiện đông người)", "2",
                 {"kind": "yes_no"}),
            leaf("8.7", "Đánh giá của Hội đồng về vận hành chính quyền địa phương hai cấp", "2",
                 {"kind": "manual", "step": "0.5"}, source="appraisal"),
        ]),
        group("9", "Điểm thưởng", [
            leaf("9.1", "Sáng kiến, mô hình CCHC được công nhận (0,25 điểm/sáng kiến)", "1",
                 {"kind": "per_item", "per": "0.25"}),
            leaf("9.2", "Mô hình “Dân vận khéo” trong CCHC được cấp tỉnh công nhận", "0.5", {"kind": "yes_no"}),
        ], counts="bonus"),
        group("10", "Điểm trừ", [
            leaf("10.1", "Báo cáo CCHC gửi chậm (0,25 điểm/báo cáo)", "1", {"kind": "per_item", "per": "0.25"}),
            leaf("10.2", "Vi phạm trong giải quyết TTHC bị cơ quan có thẩm quyền kết luận (0,5 điểm/vụ việc)", "1.5",
                 {"kind": "per_item", "per": "0.5"}),
            leaf("10.3", "Nộp hồ sơ tự đánh giá chậm so với thời hạn (số ngày chậm)", "0.5",
                 bands("count", [{"from": "1", "to": "5", "to_inclusive": True, "points": "0.25"},
                                 {"from": "6", "points": "0.5"}])),
        ], counts="penalty"),
    ],
}

CLASSES = [{"label": "Xuất sắc", "from": "90"}, {"label": "Tốt", "from": "80"}, {"label": "Khá", "from": "70"},
           {"label": "Trung bình", "from": "50"}, {"label": "Yếu", "from": "0"}]

# The departments after the 2025 restructuring (standard structure; see the README for what
# could and could not be confirmed for the new Đồng Tháp). (id, name, has procedures)
DEPARTMENTS = [
    ("so-noi-vu", "Sở Nội vụ", True),
    ("so-tai-chinh", "Sở Tài chính", True),
    ("so-xay-dung", "Sở Xây dựng", True),
    ("so-nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường", True),
    ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", True),
    ("so-van-hoa-the-thao-du-lich", "Sở Văn hóa, Thể thao và Du lịch", True),
    ("so-cong-thuong", "Sở Công Thương", True),
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo", True),
    ("so-y-te", "Sở Y tế", True),
    ("so-tu-phap", "Sở Tư pháp", True),
    ("so-ngoai-vu", "Sở Ngoại vụ", True),
    ("thanh-tra-tinh", "Thanh tra tỉnh", False),
    ("ban-quan-ly-khu-kinh-te", "Ban Quản lý Khu kinh tế tỉnh", True),
    ("van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", True),
]
# Departments that manage public investment (leaf 6.1); the others declare that nothing arose.
INVESTORS = {"so-xay-dung", "so-nong-nghiep-moi-truong", "so-giao-duc-dao-tao", "so-y-te",
             "so-van-hoa-the-thao-du-lich", "ban-quan-ly-khu-kinh-te", "so-tai-chinh"}

# Nghị quyết 1663/NQ-UBTVQH15 (16/6/2025): 20 phường and 82 xã, in the order the public
# lists give them, spelled as those lists spell them.
WARDS = ["Mỹ Tho", "Đạo Thạnh", "Mỹ Phong", "Thới Sơn", "Trung An", "Gò Công", "Long Thuận", "Bình Xuân",
         "Sơn Qui", "An Bình", "Hồng Ngự", "Thường Lạc", "Cao Lãnh", "Mỹ Ngãi", "Mỹ Trà", "Sa Đéc",
         "Mỹ Phước Tây", "Thanh Hoà", "Cai Lậy", "Nhị Quý"]
COMMUNES = ["Tân Hồng", "Tân Thành", "Tân Hộ Cơ", "An Phước", "Thường Phước", "Long Khánh", "Long Phú Thuận",
            "An Hòa", "Tam Nông", "Phú Thọ", "Tràm Chim", "Phú Cường", "An Long", "Thanh Bình", "Tân Thạnh",
            "Bình Thành", "Tân Long", "Tháp Mười", "Thanh Mỹ", "Mỹ Quí", "Đốc Binh Kiều", "Trường Xuân",
            "Phương Thịnh", "Phong Mỹ", "Ba Sao", "Mỹ Thọ", "Bình Hàng Trung", "Mỹ Hiệp", "Mỹ An Hưng",
            "Tân Khánh Trung", "Lấp Vò", "Lai Vung", "Hoà Long", "Phong Hoà", "Tân Dương", "Phú Hựu",
            "Tân Nhuận Đông", "Tân Phú Trung", "Tân Phú", "Thanh Hưng", "An Hữu", "Mỹ Lợi", "Mỹ Đức Tây",
            "Mỹ Thiện", "Hậu Mỹ", "Hội Cư", "Cái Bè", "Mỹ Thành", "Thạnh Phú", "Bình Phú", "Hiệp Đức",
            "Long Tiên", "Ngũ Hiệp", "Tân Phước 1", "Tân Phước 2", "Tân Phước 3", "Hưng Thạnh", "Tân Hương",
            "Châu Thành", "Long Hưng", "Long Định", "Bình Trưng", "Vĩnh Kim", "Kim Sơn", "Mỹ Tịnh An",
            "Lương Hoà Lạc", "Tân Thuận Bình", "Chợ Gạo", "An Thạnh Thuỷ", "Bình Ninh", "Vĩnh Bình",
            "Đồng Sơn", "Phú Thành", "Long Bình",
            # The public list we could read breaks off after "Long Bì[nh]"; the last eight are
            # confirmed one by one where the README says so (Tân Hòa, Tân Thới, Tân Phú Đông) and
            # otherwise taken from the resolution's order as we recall it (see README).
            "Vĩnh Hựu", "Tân Điền", "Tân Hòa", "Tân Đông", "Gia Thuận", "Gò Công Đông", "Tân Thới", "Tân Phú Đông"]


# Tân Thành and Tân Thạnh share one ASCII slug; the second one listed gets "-2".
SLUG_OVERRIDES = {"Tân Thạnh": "xa-tan-thanh-2"}


def slug(prefix, name):
    if name in SLUG_OVERRIDES:
        return SLUG_OVERRIDES[name]
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return prefix + "-" + "-".join(s.split())


ROUND = {
    "format": "parindex/round@1",
    "id": ROUND_ID,
    "title": "Xác định Chỉ số cải cách hành chính năm 2025",
    "year": 2025,
    "evaluator": "UBND tỉnh Đồng Tháp",
    "rounding": {"decimals": 2, "mode": "half_up"},
    "deadlines": {"self": "2026-01-15"},
    "blocks": [
        {"id": "so", "title": "Khối sở, ban, ngành", "criteria_set": "criteria/so-2025.json",
         "survey": True, "classes": CLASSES, "tie_breakers": ["survey", "exact"]},
        {"id": "xa", "title": "Khối UBND xã, phường", "criteria_set": "criteria/xa-2025.json",
         "survey": True, "classes": CLASSES, "tie_breakers": ["survey", "exact"]},
    ],
    "units": [{"id": i, "name": n, "block": "so", "tags": ["has-procedures"] if p else [],
               **({"ranked": False} if i == "van-phong-ubnd-tinh" else {})} for i, n, p in DEPARTMENTS]
    + [{"id": slug("phuong", n), "name": "Phường " + n, "block": "xa", "tags": ["phuong"]} for n in WARDS]
    + [{"id": slug("xa", n), "name": "Xã " + n, "block": "xa", "tags": ["xa"]} for n in COMMUNES],
}
# ---------------------------------------------------------------- scoring model (independent)
#
# A deliberately plain reading of SPEC §4, §5, §6, §8 and §11 for the rule kinds this
# fixture uses. Exact decimals (prec 40), divide last; nothing is rounded before
# presentation. It shares no code with the engine.

class NothingArose(Exception):
    """A ratio with denominator 0, a survey without answers, a formula dividing by zero."""


class Excluded(Exception):
    pass


# -- formula expressions (SPEC §5): a small recursive-descent parser -------------------

def tokenize(src):
    out, i = [], 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            out.append(("num", D(src[i:j])))
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            out.append(("name", src[i:j]))
            i = j
        elif src[i:i + 2] in ("||", "&&", "<=", ">=", "==", "!="):
            out.append(("op", src[i:i + 2]))
            i += 2
        elif c in "+-*/<>!(),":
            out.append(("op", c))
            i += 1
        else:
            raise ValueError(f"bad character {c!r} in {src!r}")
    return out


def parse(src):
    toks = tokenize(src)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else ("end", None)

    def take(v=None):
        t = peek()
        if v is not None and t[1] != v:
            raise ValueError(f"expected {v} in {src!r}")
        pos[0] += 1
        return t

    def binary(sub, ops):
        def f():
            left = sub()
            while peek()[0] == "op" and peek()[1] in ops:
                op = take()[1]
                left = ("bin", op, left, sub())
            return left
        return f

    def unary():
        t = peek()
        if t == ("op", "-") or t == ("op", "!"):
            take()
            return ("un", t[1], unary())
        return atom()

    def atom():
        t = take()
        if t[0] == "num":
            return ("num", t[1])
        if t[0] == "name":
            if peek() == ("op", "("):
                take("(")
                args = [expr()]
                while peek() == ("op", ","):
                    take(",")
                    args.append(expr())
                take(")")
                return ("call", t[1], args)
            return ("var", t[1])
        if t == ("op", "("):
            e = expr()
            take(")")
            return e
        raise ValueError(f"unexpected {t} in {src!r}")

    prod = binary(unary, ("*", "/"))
    summ = binary(prod, ("+", "-"))

    def cmp():
        left = summ()
        if peek()[0] == "op" and peek()[1] in ("<", "<=", ">", ">=", "==", "!="):
            op = take()[1]
            return ("bin", op, left, summ())
        return left

    land = binary(cmp, ("&&",))
    expr = binary(land, ("||",))
    tree = expr()
    if pos[0] != len(toks):
        raise ValueError(f"trailing input in {src!r}")
    return tree


def evaluate(tree, env):
    k = tree[0]
    if k == "num":
        return tree[1]
    if k == "var":
        return env[tree[1]]
    if k == "un":
        v = evaluate(tree[2], env)
        return -v if tree[1] == "-" else D(0 if v != 0 else 1)
    if k == "bin":
        op = tree[1]
        if op == "&&":
            return D(1 if evaluate(tree[2], env) != 0 and evaluate(tree[3], env) != 0 else 0)
        if op == "||":
            return D(1 if evaluate(tree[2], env) != 0 or evaluate(tree[3], env) != 0 else 0)
        a, b = evaluate(tree[2], env), evaluate(tree[3], env)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise NothingArose()
            return a / b
        return D(1 if {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op] else 0)
    if k == "call":
        name, args = tree[1], tree[2]
        if name == "if":
            return evaluate(args[1], env) if evaluate(args[0], env) != 0 else evaluate(args[2], env)
        vals = [evaluate(a, env) for a in args]
        if name == "min":
            return min(vals)
        if name == "max":
            return max(vals)
        if name == "abs":
            return abs(vals[0])
        if name == "round":
            return vals[0].quantize(D(1).scaleb(-int(vals[1])), rounding=ROUND_HALF_UP)
        raise ValueError(name)
    raise ValueError(k)


# -- rules (SPEC §4, §11.2, §11.4) -------------------------------------------------------

def in_band(b, num, den):
    """Is num/den (as a percent: num*100/den) inside band b? Compared exactly."""
    v = num * 100
    lo, hi = b.get("from"), b.get("to")
    if lo is not None:
        bound = D(lo) * den
        if not (v > bound or (v == bound and b.get("from_inclusive", True))):
            return False
    if hi is not None:
        bound = D(hi) * den
        if not (v < bound or (v == bound and b.get("to_inclusive", False))):
            return False
    return True


def survey_score(rule, value):
    """Score in [0, 1] of one survey value (counts / mean / score)."""
    if "counts" in value:
        total = sum(D(c) for c in value["counts"].values())
        if total == 0:
            raise NothingArose()
        return sum(D(rule["weights"][a]) * D(c) for a, c in value["counts"].items()) / total
    if "mean" in value:
        s = rule["scale"]
        return (D(value["mean"]) - D(s["min"])) / (D(s["max"]) - D(s["min"]))
    return D(value["score"])


def survey_points(rule, mx, entry):
    if "groups" in rule:
        num, den = D(0), D(0)
        for g, w in rule["groups"].items():
            value = entry["groups"][g]
            if "counts" in value:
                total = sum(D(c) for c in value["counts"].values())
                if total == 0:
                    continue  # a group with no answers is left out
                num += D(w) * sum(D(rule["weights"][a]) * D(c) for a, c in value["counts"].items()) / total
            else:
                num += D(w) * survey_score(rule, value)
            den += D(w)
        if den == 0:
            raise NothingArose()
        score = num / den
    else:
        score = survey_score(rule, entry)
    if "zero_below" in rule and score < D(rule["zero_below"]):
        score = D(0)
    if "full_from" in rule and score >= D(rule["full_from"]):
        score = D(1)
    score = max(D(0), min(D(1), score))
    return mx * score


def rule_points(node, inp, refs_env, choice=None):
    rule, mx = node["rule"], D(node["max"])
    k = rule["kind"]

    def clamp(v):
        return max(D(0), min(mx, v))

    if k == "yes_no":
        return mx if inp else D(0)
    if k == "options":
        return D(next(o["points"] for o in rule["options"] if o["key"] == inp))
    if k in ("bands", "proportional"):
        kind = rule["input"]
        if kind == "ratio":
            num, den = D(inp["numerator"]), D(inp["denominator"])
            if den == 0:
                raise NothingArose()
        else:
            num, den = D(inp), D(100)  # percent, count or number: num * 100 / den is the value
        if k == "bands":
            for b in rule["bands"]:
                if in_band(b, num, den):
                    return D(b["points"])
            return D(rule.get("otherwise", "0"))
        if "zero_below" in rule and in_band({"to": rule["zero_below"]}, num, den):
            return D(0)
        if "full_from" in rule and in_band({"from": rule["full_from"]}, num, den):
            return mx
        return clamp(mx * num / den)
    if k == "deduction":
        return clamp(mx - D(rule["per"]) * D(inp))
    if k == "per_item":
        return min(D(rule["per"]) * D(inp), mx)
    if k == "deadline":
        if inp is None:
            return D(0)
        late = (datetime.date.fromisoformat(inp) - datetime.date.fromisoformat(rule["due"])).days
        if late <= 0:
            return mx
        return D(rule.get("late_points", "0")) if late <= int(rule.get("grace_days", 0)) else D(0)
    if k == "formula":
        expr = rule["expr"] if "expr" in rule else rule["choices"][choice]
        env = {"max_points": mx}
        env.update(refs_env)
        env.update({n: D(v) for n, v in (inp or {}).items()})
        return clamp(evaluate(parse(expr), env))
    raise ValueError(k)


# -- a round -------------------------------------------------------------------------------

def walk(nodes, parent_tags=(), top=None, out=None, parents=()):
    """Every node in document order with (node, applies_to constraints, top-level counts, parents)."""
    if out is None:
        out = []
    for n in nodes:
        tags = parent_tags + ((tuple(n["applies_to"]),) if n.get("applies_to") is not None else ())
        counts = n.get("counts", "score") if top is None else top
        out.append((n, tags, counts, parents))
        if "children" in n:
            walk(n["children"], tags, counts, out, parents + (n["code"],))
    return out


def present(d, rounding):
    dec = int(rounding.get("decimals", 2))
    mode = ROUND_HALF_EVEN if rounding.get("mode", "half_up") == "half_even" else ROUND_HALF_UP
    return str(d.quantize(D(1).scaleb(-dec), rounding=mode))


def score_unit(set_doc, unit, block, a, rounding):
    """The unit's results row (SPEC §9), by the model."""
    rows = walk(set_doc["nodes"])
    by_code = {n["code"]: (n, tags, counts, parents) for n, tags, counts, parents in rows}
    leaves_ = [r for r in rows if "children" not in r[0]]
    has_file = a is not None
    a = a or {}
    selfst = a.get("self", {})
    stages = [selfst.get("entries", {})] + [ap.get("entries", {}) for ap in sorted(a.get("appraisals", []), key=lambda x: x["stage"])]
    last = len(stages) - 1
    findings = []

    def source(n):
        return n.get("source", "assessed")

    def applicable(n, tags):
        if not all(any(t in unit.get("tags", []) for t in c) for c in tags):
            return False
        if source(n) == "survey" and not block.get("survey", False):
            return False
        return True

    def eff(code, s):
        """(stage, entry) of the effective entry at stage s, or (None, None)."""
        for t in range(s, -1, -1):
            if code in stages[t]:
                return t, stages[t][code]
        return None, None

    cache = {}
    excluded = set()

    def raw(code, s):
        """Points of a leaf at stage s, None for 'nothing arose', before policies; counts refs."""
        n = by_code[code][0]
        if source(n) == "derived":
            try:
                return rule_points(n, {}, refs_at(n, s))
            except NothingArose:
                return None
        t, e = eff(code, s)
        if e is None:
            return "none"
        if e.get("not_arising"):
            return None
        try:
            if "input" in e:
                p = rule_points(n, e["input"], refs_at(n, s), e.get("choice"))
            else:
                p = D(e["points"])
        except NothingArose:
            return None
        return p

    def policy(n, p):
        if p is None:
            pol = n.get("not_arising", "forbidden")
            if pol == "full":
                return D(n["max"])
            if pol == "exclude":
                return "exclude"
            return D(0)
        return p

    def leaf_points(code, s):
        key = (code, s)
        if key in cache:
            return cache[key]
        n = by_code[code][0]
        if code in excluded or not applicable(n, by_code[code][1]):
            cache[key] = D(0)
            return D(0)
        p = raw(code, s)
        if p == "none":
            v = D(0)
        else:
            v = policy(n, p)
            if v == "exclude":
                v = D(0)
            # §11.5: a self entry without required evidence is worth 0 while it is effective
            if n.get("evidence") == "required" and source(n) != "derived":
                t, e = eff(code, s)
                if t == 0 and not e.get("evidence") and v > 0:
                    v = D(0)
        cache[key] = v
        return v

    def node_points(code, s):
        n = by_code[code][0]
        if "children" not in n:
            return leaf_points(code, s)
        total = D(0)
        for c in n["children"]:
            if source(c) == "survey":
                continue
            if "children" in c:
                total += node_points(c["code"], s)
            else:
                total += leaf_points(c["code"], s)
        return total

    def refs_at(n, s):
        return {name: node_points(ref, s) for name, ref in n["rule"].get("refs", {}).items()}

    # exclusion at the last stage, in an order where refs are ready (assessed leaves first,
    # then leaves whose refs are all decided; the sets here are shallow enough for two passes)
    order = [r for r in leaves_ if "refs" not in r[0]["rule"]] + [r for r in leaves_ if "refs" in r[0]["rule"]]
    for _ in range(3):
        for n, tags, counts, parents in order:
            if not applicable(n, tags):
                continue
            if source(n) == "survey":
                continue
            cache.clear()
            p = raw(n["code"], last)
            if p is None and n.get("not_arising") == "exclude":
                excluded.add(n["code"])
            else:
                excluded.discard(n["code"])
    cache.clear()

    leaf_rows = {}
    for n, tags, counts, parents in leaves_:
        code = n["code"]
        if not applicable(n, tags):
            continue
        src = source(n)
        if src == "survey":
            e = a.get("survey", {}).get(code)
            if e is None:
                findings.append(("missing_survey", code))
                leaf_rows[code] = {"points": D(0), "self": None}
                continue
            try:
                pts = survey_points(n["rule"], D(n["max"]), e)
            except NothingArose:
                pts = policy(n, None)
                if pts == "exclude":
                    continue
            leaf_rows[code] = {"points": pts, "self": None}
            continue
        if code in excluded:
            continue
        final = leaf_points(code, last)
        row = {"points": final, "self": None}
        if src in ("assessed",):
            sp = raw(code, 0)
            if sp == "none":
                selfp = D(0)
            elif sp is None:
                fin = raw(code, last)
                selfp = D(0) if (fin is not None and fin != "none") else policy(n, None)
                if selfp == "exclude":
                    selfp = D(0)
            else:
                selfp = leaf_points(code, 0)
            row["self"] = selfp
        elif src == "derived":
            row["self"] = leaf_points(code, 0)
        leaf_rows[code] = row
        # findings
        t, e = eff(code, last)
        if src == "assessed" and e is None and counts == "score":
            findings.append(("missing_entry", code))
        if src == "appraisal" and counts == "score" and last >= 1 and not any(code in st for st in stages[1:]):
            findings.append(("missing_entry", code))
        own = stages[0].get(code)
        if src == "assessed" and own is not None and not own.get("not_arising"):
            try:
                p0 = rule_points(n, own["input"], refs_at(n, 0), own.get("choice")) if "input" in own else D(own["points"])
            except NothingArose:
                p0 = policy(n, None)
                p0 = D(0) if p0 == "exclude" else p0
            if "input" in own and "points" in own and D(own["points"]) != p0:
                findings.append(("points_mismatch", code))
            ev = n.get("evidence", True)
            if ev == "required":
                if p0 > 0 and not own.get("evidence"):
                    findings.append(("no_evidence", code))
            elif ev is True and p0 > 0 and not own.get("evidence") and not (own.get("note") or "").strip():
                findings.append(("no_evidence", code))
        for s in range(1, last + 1):
            own = stages[s].get(code)
            if own is not None and "input" in own and "points" in own:
                try:
                    ps = rule_points(n, own["input"], refs_at(n, s), own.get("choice"))
                    if D(own["points"]) != ps:
                        findings.append(("points_mismatch", code))
                except NothingArose:
                    pass

    # groups, totals
    node_rows = []
    group_vals = {}

    def group_val(n):
        pts, mx, any_ = D(0), D(0), False
        for c in n["children"]:
            if "children" in c:
                g = group_val(c)
                if g is not None:
                    pts += g[0]
                    mx += g[1]
                    any_ = True
            elif c["code"] in leaf_rows:
                pts += leaf_rows[c["code"]]["points"]
                mx += D(c["max"])
                any_ = True
        group_vals[n["code"]] = (pts, mx) if any_ else None
        return group_vals[n["code"]]

    for n in set_doc["nodes"]:
        if "children" in n:
            group_val(n)
    mx = self_total = appraised = survey_total = D(0)
    counts_pts = {"bonus": D(0), "penalty": D(0)}
    for n, tags, counts, parents in rows:
        code = n["code"]
        if "children" in n:
            g = group_vals.get(code)
            if g is None:
                node_rows.append({"code": code, "excluded": True})
            else:
                node_rows.append({"code": code, "points": g[0], "max": g[1], "index": g[0] * 100 / g[1]})
            continue
        r = leaf_rows.get(code)
        if r is None:
            node_rows.append({"code": code, "excluded": True})
            continue
        row = {"code": code, "points": r["points"], "max": D(n["max"]), "index": r["points"] * 100 / D(n["max"])}
        if r["self"] is not None:
            row["self"] = r["self"]
        node_rows.append(row)
        if counts != "score":
            counts_pts[counts] += r["points"]
            continue
        mx += D(n["max"])
        src = source(n)
        if src == "survey":
            survey_total += r["points"]
        else:
            appraised += r["points"]
            if r["self"] is not None:
                self_total += r["self"]

    def last_list(key):
        lst = selfst.get(key, [])
        for ap in sorted(a.get("appraisals", []), key=lambda x: x["stage"]):
            if key in ap:
                lst = ap[key]
        return sum((D(i["points"]) for i in lst), D(0))

    caps = set_doc.get("adjustments", {"bonus_max": "0", "penalty_max": "0"})
    bonus = min(last_list("bonus") + counts_pts["bonus"], D(caps.get("bonus_max", "0")))
    penalty = min(last_list("penalty") + counts_pts["penalty"], D(caps.get("penalty_max", "0")))
    total = max(D(0), min(mx, appraised + survey_total + bonus - penalty))
    index = total * 100 / mx if mx else D(0)
    if a.get("appraisals"):
        status = "final" if sorted(a["appraisals"], key=lambda x: x["stage"])[-1].get("final") else "appraised"
    elif has_file and "self" in a:
        status = "self_assessed"
    else:
        status = "not_submitted"
    return {"unit": unit["id"], "status": status, "index": index, "total": total, "max": mx,
            "self_total": self_total, "appraised_total": appraised, "survey_total": survey_total,
            "bonus": bonus, "penalty": penalty, "nodes": node_rows, "findings": findings,
            "class_cap": a.get("class_cap"), "submitted_at": selfst.get("submitted_at")}


def score_round(rnd, sets, assessments):
    """rnd: round document; sets: block id -> criteria set; assessments: unit id -> doc or None."""
    rounding = rnd.get("rounding", {})
    out = {"format": "parindex/results@1", "round": rnd["id"], "blocks": []}
    for block in rnd["blocks"]:
        rows = []
        for unit in rnd["units"]:
            if unit["block"] != block["id"]:
                continue
            r = score_unit(sets[block["id"]], unit, block, assessments.get(unit["id"]), rounding)
            sub = r.pop("submitted_at")
            due = rnd.get("deadlines", {}).get("self")
            if due and sub and sub[:10] > due:
                r["findings"].append(("late_submission", None))
            r["name"] = unit["name"]
            r["ranked"] = unit.get("ranked", True)
            pidx = D(present(r["index"], rounding))
            cls = None
            for c in block["classes"]:
                if pidx > D(c["from"]) or (pidx == D(c["from"]) and c.get("from_inclusive", True)):
                    cls = c["label"]
                    break
            cap = r.pop("class_cap")
            labels = [c["label"] for c in block["classes"]]
            if cap and cls is not None and labels.index(cap["label"]) > labels.index(cls):
                cls = cap["label"]
            r["class"] = cls
            rows.append(r)

        def key(r):
            k = [D(present(r["index"], rounding))]
            for tb in block.get("tie_breakers", []):
                k.append({"survey": D(present(r["survey_total"], rounding)),
                          "appraised": D(present(r["appraised_total"], rounding)),
                          "exact": r["index"]}[tb])
            return k
        ranked = [r for r in rows if r["ranked"]]
        for r in ranked:
            r["rank"] = 1 + sum(1 for o in ranked if key(o) > key(r))
        for r in rows:
            if not r["ranked"]:
                r["rank"] = None
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
        out["blocks"].append({"id": block["id"], "units": rows})
    return out


def presented(results, rounding):
    """The model's results in the SPEC §9 shape, figures as strings."""
    out = {"format": results["format"], "round": results["round"], "blocks": []}
    for b in results["blocks"]:
        units = []
        for r in b["units"]:
            u = {"unit": r["unit"], "name": r["name"], "status": r["status"], "rank": r["rank"], "class": r["class"]}
            for f in ("index", "total", "max", "self_total", "appraised_total", "survey_total", "bonus", "penalty"):
                u[f] = present(r[f], rounding)
            u["nodes"] = []
            for n in r["nodes"]:
                if n.get("excluded"):
                    u["nodes"].append({"code": n["code"], "excluded": True})
                    continue
                row = {"code": n["code"]}
                for f in ("points", "max", "index", "self"):
                    if f in n:
                        row[f] = present(n[f], rounding)
                u["nodes"].append(row)
            u["findings"] = [{"code": c, **({"criterion": k} if k else {})} for c, k in r["findings"]]
            units.append(u)
        out["blocks"].append({"id": b["id"], "units": units})
    return out


def load_round(folder):
    rnd = json.load(open(os.path.join(folder, "round.json"), encoding="utf-8"))
    sets = {b["id"]: json.load(open(os.path.join(folder, b["criteria_set"]), encoding="utf-8")) for b in rnd["blocks"]}
    docs = {}
    adir = os.path.join(folder, "assessments")
    if os.path.isdir(adir):
        for f in sorted(os.listdir(adir)):
            if f.endswith(".json"):
                d = json.load(open(os.path.join(adir, f), encoding="utf-8"))
                docs[d["unit"]] = d
    return rnd, sets, docs


def compare(mine, theirs, with_findings=False):
    """Differences between two results documents (SPEC §9 shape), as printable lines."""
    diffs = []
    tb = {b["id"]: {u["unit"]: u for u in b["units"]} for b in theirs["blocks"]}
    for b in mine["blocks"]:
        other = tb.get(b["id"], {})
        if set(other) != {u["unit"] for u in b["units"]}:
            diffs.append(f"block {b['id']}: units differ")
        for u in b["units"]:
            o = other.get(u["unit"])
            if o is None:
                continue
            for f in ("status", "rank", "class", "index", "total", "max", "self_total", "appraised_total",
                      "survey_total", "bonus", "penalty"):
                if u[f] != o.get(f):
                    diffs.append(f"{u['unit']}: {f} model {u[f]!r}, other {o.get(f)!r}")
            on = {n["code"]: n for n in o.get("nodes", [])}
            for n in u["nodes"]:
                m = on.get(n["code"])
                if m is None:
                    diffs.append(f"{u['unit']} {n['code']}: no row in other")
                    continue
                for f in ("excluded", "points", "max", "index", "self"):
                    if n.get(f) != m.get(f):
                        diffs.append(f"{u['unit']} {n['code']}: {f} model {n.get(f)!r}, other {m.get(f)!r}")
            if with_findings:
                fa = sorted((f["code"], f.get("criterion") or "") for f in u["findings"])
                fb = sorted((f["code"], f.get("criterion") or "") for f in o.get("findings", []))
                if fa != fb:
                    diffs.append(f"{u['unit']}: findings model {fa}, other {fb}")
    return diffs


def model_case(folder):
    rnd, sets, docs = load_round(folder)
    mine = presented(score_round(rnd, sets, docs), rnd.get("rounding", {}))
    expected = json.load(open(os.path.join(folder, "expected.json"), encoding="utf-8"))
    diffs = compare(mine, expected, with_findings=True)
    for d in diffs:
        print("  " + d)
    print(f"{os.path.basename(folder.rstrip('/'))}: {'MATCH' if not diffs else str(len(diffs)) + ' differences'}")
    return 1 if diffs else 0

# ---------------------------------------------------------------- generating

def fmt(d):
    d = D(d)
    return str(d.quantize(D(1))) if d == d.to_integral() else str(d.normalize())


def all_leaves(set_doc):
    return [(n, tags, counts) for n, tags, counts, _ in walk(set_doc["nodes"]) if "children" not in n]


def applies(tags, unit):
    return all(any(t in unit["tags"] for t in c) for c in tags)


def make_input(node, q, rng):
    """An entry worth about q of the max (q in 0..1)."""
    rule = node["rule"]
    k = rule["kind"]
    good = rng.random() < q
    if k == "yes_no":
        return {"input": good or rng.random() < 0.5}
    if k == "options":
        opts = rule["options"]
        i = 0 if rng.random() < q else min(len(opts) - 1, 1 + int(rng.random() * 1.4))
        return {"input": opts[i]["key"]}
    if k == "manual":
        step = D(rule.get("step", "0.25"))
        mx = D(node["max"])
        p = (mx * D(str(round(min(1.0, q + 0.1), 2))) / step).quantize(D(1)) * step
        return {"points": fmt(min(mx, max(D(0), p)))}
    if k in ("bands", "proportional"):
        kind = rule["input"]
        if kind == "ratio":
            d = rng.randint(6, 60)
            n = d if good else max(0, d - rng.randint(1, max(1, d // 5)))
            return {"input": {"numerator": n, "denominator": d}}
        if kind == "count":
            return {"input": 0 if good else rng.randint(1, 2)}
        if kind == "number":
            return {"input": fmt(D(rng.randint(880 + int(100 * q), 1150)) / 10)}
        if node["code"] == "4.2.2":
            return {"input": fmt(D(rng.randint(20, 160)) / 10)}
        pct = D(100) if (good and rng.random() < 0.5) else D(rng.randint(int(800 + 190 * q), 999)) / 10
        return {"input": fmt(pct)}
    if k == "deduction":
        return {"input": 0 if good else rng.randint(1, 2)}
    if k == "deadline":
        due = datetime.date.fromisoformat(rule["due"])
        if good:
            return {"input": str(due - datetime.timedelta(days=rng.randint(0, 20)))}
        return {"input": str(due + datetime.timedelta(days=rng.randint(3, int(rule.get("grace_days", 0)) + 3)))}
    if k == "formula":
        if "refs" in rule:
            n = rng.randint(8, 30)
            return {"input": {"x": n if good else n - rng.randint(1, 3), "n": n}}
        if "choices" in rule and "dung-han" in rule["choices"]:
            y = rng.randint(5, 20)
            if good:
                return {"input": {"x": y, "y": y}, "choice": "dung-han"}
            z = rng.randint(1, 2)
            return {"input": {"x": y - z, "z": z, "y": y}, "choice": "co-tre-han"}
        if "choices" in rule and "khong-thu-phi" in rule["choices"]:
            if rng.random() < 0.2:
                return {"input": {}, "choice": "khong-thu-phi"}
            y = rng.randint(20, 300)
            return {"input": {"x": int(y * (0.7 + 0.3 * q)), "y": y}, "choice": "ty-le"}
        if "choices" in rule:
            y, w = rng.randint(30, 200), rng.randint(40, 400)
            if rng.random() < 0.5:
                return {"input": {"x": int(y * (0.6 + 0.4 * q)), "y": y}, "choice": "ty-le"}
            return {"input": {"x": int(y * (0.6 + 0.4 * q)), "y": y, "z": int(w * (0.5 + 0.5 * q)), "w": w},
                    "choice": "binh-quan"}
        b = rng.randint(8, 20)
        return {"input": {"a": b if good else b - rng.randint(1, 3), "b": b}}
    raise ValueError(k)


def better_input(node, entry):
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
        for a, b in (("x", "y"), ("x", "n"), ("a", "b"), ("z", "w")):
            if a in inp and b in inp:
                inp[a] = inp[b]
        if "z" in inp and "w" not in inp:
            inp["x"], inp["z"] = inp["y"], 0
        out = {"input": inp}
        if "choice" in entry:
            out["choice"] = entry["choice"]
        return out
    raise ValueError(k)


REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện",
    "Xác định lại theo số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh",
    "Báo cáo gửi chậm so với quy định",
    "Chưa cung cấp văn bản chứng minh kết quả",
    "Số liệu tự chấm không khớp với báo cáo tổng hợp của Sở Nội vụ",
    "Đối chiếu kết quả kiểm tra CCHC năm 2025 của Đoàn kiểm tra tỉnh",
]


def short_name(unit):
    if unit["block"] == "so":
        return {"so-noi-vu": "SNV", "so-tai-chinh": "STC", "so-xay-dung": "SXD", "so-nong-nghiep-moi-truong": "SNNMT",
                "so-khoa-hoc-cong-nghe": "SKHCN", "so-van-hoa-the-thao-du-lich": "SVHTTDL", "so-cong-thuong": "SCT",
                "so-giao-duc-dao-tao": "SGDĐT", "so-y-te": "SYT", "so-tu-phap": "STP", "so-ngoai-vu": "SNgV",
                "thanh-tra-tinh": "TTr", "ban-quan-ly-khu-kinh-te": "BQLKKT", "van-phong-ubnd-tinh": "VPUBND"}[unit["id"]]
    return "UBND"


def evidence_title(rng, unit, code):
    kind = rng.choice(["KH", "BC", "QĐ"])
    month = rng.randint(7, 12)
    return (f"{ {'KH': 'Kế hoạch', 'BC': 'Báo cáo', 'QĐ': 'Quyết định'}[kind]} số {rng.randint(12, 480)}/{kind}-"
            f"{short_name(unit)} ngày {rng.randint(1, 28):02d}/{month:02d}/2025 của {unit['name']}")


def survey_entry(node, q, rng):
    r = node["rule"]

    def one(scale_q):
        if "weights" in r:
            n = rng.randint(60, 180)
            a = int(n * min(0.95, 0.3 + 0.6 * scale_q * rng.uniform(0.9, 1.05)))
            b = int((n - a) * 0.7)
            c = int((n - a - b) * 0.7)
            return {"counts": {"A": a, "B": b, "C": c, "D": n - a - b - c}}
        if "scale" in r:
            lo, hi = D(r["scale"]["min"]), D(r["scale"]["max"])
            v = lo + (hi - lo) * D(str(round(min(0.98, 0.45 + 0.5 * scale_q * rng.uniform(0.9, 1.05)), 2)))
            return {"mean": fmt(v.quantize(D("0.01")))}
        return {"score": fmt(D(int(min(0.99, 0.5 + 0.45 * scale_q * rng.uniform(0.9, 1.05)) * 1000)) / 1000)}
    if "groups" in r:
        return {"groups": {g: one(q) for g in r["groups"]}}
    return one(q)


def assessment(unit, set_doc, block, rng, q):
    short = short_name(unit)
    entries, fair = {}, {}
    council = []
    for node, tags, counts in all_leaves(set_doc):
        code, src = node["code"], node.get("source", "assessed")
        if src in ("survey", "derived") or not applies(tags, unit) or counts != "score":
            continue
        if src == "appraisal":
            council.append(node)
            continue
        if code == "6.1" and set_doc["id"] == "so-2025" and unit["id"] not in INVESTORS:
            entries[code] = {"not_arising": True, "note": "Cơ quan không được giao kế hoạch vốn đầu tư công năm 2025"}
            continue
        # "Nothing arose" only where the set allows it (xa-2025's 6.3 is `forbidden`).
        if code in ("4.2.2", "6.3") and rng.random() < 0.3 and node.get("not_arising") == "exclude":
            entries[code] = {"not_arising": True, "note": "Không có đơn vị sự nghiệp công lập trực thuộc"}
            continue
        if code == "1.1.3" and rng.random() < 0.2:
            entries[code] = {"not_arising": True, "note": "Không có đơn vị trực thuộc"}
            continue
        if code == "2.1" and set_doc["id"] == "xa-2025" and rng.random() < 0.25:
            entries[code] = {"not_arising": True, "note": "Trong năm không ban hành văn bản quy phạm pháp luật"}
            continue
        e = make_input(node, q, rng)
        fair[code] = e
        entries[code] = dict(e)
    nodes = {n["code"]: n for n, _, _ in all_leaves(set_doc)}
    def worth(c, e):
        n = nodes[c]
        if "input" not in e:
            return D(e["points"])
        try:
            return rule_points(n, e["input"], {r: D(1) for r in n["rule"].get("refs", {})}, e.get("choice"))
        except NothingArose:
            return D(0)
    candidates = [c for c in sorted(fair, key=code_key) if worth(c, better_input(nodes[c], fair[c])) > worth(c, fair[c])]
    rng.shuffle(candidates)
    over = sorted(candidates[: rng.randint(OVER[0], OVER[1])], key=code_key)
    for c in over:
        entries[c] = better_input(nodes[c], fair[c])
    for c, e in entries.items():
        if "not_arising" in e:
            continue
        e["evidence"] = [{"title": evidence_title(rng, unit, c)}]
        if rng.random() < 0.3:
            e["evidence"][0]["ref"] = f"minh-chung/{unit['id']}/{c.replace('.', '-')}.pdf"
    stage1, stage2, explanations = {}, {}, {}
    for i, c in enumerate(over):
        stage1[c] = dict(fair[c])
        stage1[c]["reason"] = REASONS[(i + len(unit["id"])) % len(REASONS)]
        if i == 0:
            stage1[c]["explain"] = True
            explanations[c] = {"note": "Đơn vị bổ sung tài liệu kiểm chứng theo yêu cầu của Tổ thẩm định",
                               "evidence": [{"title": f"Công văn giải trình số {rng.randint(10, 99)}/{short} ngày 05/02/2026"}]}
            if rng.random() < 0.5:
                stage2[c] = {k: v for k, v in entries[c].items() if k != "evidence"}
                stage2[c]["reason"] = "Chấp nhận giải trình và tài liệu bổ sung"
    for node in council:
        e = make_input(node, q, rng)
        e["reason"] = "Hội đồng thẩm định chấm theo kết quả kiểm tra thực tế"
        stage1[node["code"]] = e
    doc = {"format": "parindex/assessment@1", "unit": unit["id"],
           "self": {"submitted_at": f"2026-01-{rng.randint(5, 14):02d}T{rng.randint(8, 16):02d}:00:00+07:00",
                    "entries": entries},
           "appraisals": [{"stage": 1, "entries": stage1}, {"stage": 2, "final": True, "entries": stage2}]}
    if explanations:
        doc["explanations"] = explanations
    survey = {}
    for node, tags, counts in all_leaves(set_doc):
        if node.get("source") == "survey" and applies(tags, unit):
            survey[node["code"]] = survey_entry(node, q, rng)
    doc["survey"] = survey
    return doc


def code_key(c):
    return [int(p) for p in c.split(".")]


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


NOT_SUBMITTED = "xa-tan-phuoc-3"
# How good a unit is (q, 0..1) and how many items it over-claims at the self stage.
Q_RANGE = {"so": (0.66, 0.92), "xa": (0.45, 0.88)}
OVER = (7, 11)


def build():
    """The round's documents: (round, sets by block, assessments by unit id)."""
    rng = random.Random(20251231)
    sets = {"so": SO_SET, "xa": XA_SET}
    docs = {}
    for unit in ROUND["units"]:
        block = next(b for b in ROUND["blocks"] if b["id"] == unit["block"])
        set_doc = sets[block["id"]]
        q = rng.uniform(*Q_RANGE[block["id"]])
        doc = assessment(unit, set_doc, block, rng, q)
        uid = unit["id"]
        ent = doc["self"]["entries"]
        ap1, ap2 = doc["appraisals"][0]["entries"], doc["appraisals"][1]["entries"]
        # Bonus and penalty criteria (§11.1): entered by some units, appraised, absent for most.
        r = rng.random()
        if r < 0.25:
            claimed = rng.randint(2, 5)
            ent["9.1"] = {"input": claimed, "evidence": [{"title": f"Quyết định số {rng.randint(100, 999)}/QĐ-UBND ngày "
                                                                    f"{rng.randint(1, 28):02d}/11/2025 của UBND tỉnh công nhận sáng kiến"}]}
            if claimed > 2:
                ap1["9.1"] = {"input": claimed - 1, "reason": "01 sáng kiến chưa được Hội đồng sáng kiến tỉnh công nhận"}
        elif r < 0.35:
            ent["9.2"] = {"input": True, "evidence": [{"title": f"Quyết định khen thưởng số {rng.randint(100, 999)}/QĐ-UBND ngày 20/12/2025"}]}
        r = rng.random()
        if r < 0.2:
            ap1["10.1"] = {"input": rng.randint(1, 3), "reason": "Báo cáo CCHC quý III/2025 và báo cáo chuyên đề gửi chậm"}
        elif r < 0.27:
            ap1["10.2"] = {"input": 1, "reason": "Kết luận thanh tra xác định sai phạm trong giải quyết hồ sơ TTHC"}
        docs[uid] = doc
    # Special cases, each named in the README.
    d = docs["so-y-te"]["self"]["entries"]["1.1.1"]          # required evidence missing (stays 0)
    d.pop("evidence", None)
    d["input"] = "2025-07-20"
    d["note"] = "Đã ban hành kế hoạch, chưa đính kèm văn bản"
    d = docs["xa-my-hiep"]                                     # required evidence missing, appraisal restores it
    d["self"]["entries"]["3.1"] = {"input": True, "note": "Đã niêm yết công khai"}
    d["appraisals"][0]["entries"]["3.1"] = {"input": True, "reason": "Tổ thẩm định kiểm tra thực tế, xác nhận đã công khai đầy đủ"}
    d = docs["so-ngoai-vu"]                                    # council-only item left unscored: missing_entry
    d["appraisals"][0]["entries"].pop("4.3", None)
    d = docs["xa-tan-hong"]                                    # plan not issued at self stage: 1.2 and 1.6 gated
    d["self"]["entries"]["1.1"] = {"input": None, "note": "Chưa ban hành kế hoạch tại thời điểm tự chấm"}
    d["appraisals"][0]["entries"]["1.1"] = {"input": "2025-08-12", "reason": "Kế hoạch số 45/KH-UBND ngày 12/8/2025 ban hành trễ hạn",
                                            "explain": True}
    d["explanations"] = {"1.1": {"note": "UBND xã bổ sung kế hoạch đã ban hành",
                                 "evidence": [{"title": "Kế hoạch số 45/KH-UBND ngày 12/8/2025 của UBND xã Tân Hồng"}]}}
    d = docs["xa-cai-be"]                                      # 3.2 scores 0: derived 3.7 divides by zero, excluded
    d["self"]["entries"]["3.2"]["input"] = "88.5"
    d["appraisals"][0]["entries"].pop("3.2", None)
    d["appraisals"][1]["entries"].pop("3.2", None)
    d = docs["thanh-tra-tinh"]                                 # no procedures: 7.2 excluded, so 7.5 divides by zero
    d = docs["so-xay-dung"]                                    # class cap and a penalty
    d["class_cap"] = {"label": "Khá", "reason": "Người đứng đầu bị xử lý kỷ luật trong năm 2025"}
    d["appraisals"][0]["entries"]["10.2"] = {"input": 2, "reason": "02 kết luận thanh tra về sai phạm trong cấp phép xây dựng"}
    d = docs["phuong-sa-dec"]                                  # late self-assessment, and the matching penalty item
    d["self"]["submitted_at"] = "2026-01-19T10:15:00+07:00"
    d["appraisals"][0]["entries"]["10.3"] = {"input": 4, "reason": "Nộp hồ sơ tự đánh giá chậm 04 ngày"}
    d = docs["phuong-my-tho"]                                  # a bonus list beside the bonus criteria
    d["self"]["bonus"] = [{"points": "0.5", "reason": "Mô hình “Phường thông minh” được Bộ Nội vụ giới thiệu nhân rộng"}]
    d = docs["xa-thanh-binh"]                                  # one appraisal stage only, final
    d["appraisals"] = [dict(d["appraisals"][0], final=True)]
    d = docs["so-tu-phap"]                                     # points entered beside an input that do not match
    e = d["self"]["entries"]["2.1"]
    if "input" in e:
        e["input"] = {"numerator": 9, "denominator": 10}
        e["points"] = "2"
    docs.pop(NOT_SUBMITTED)                                    # no assessment file: not_submitted
    return ROUND, sets, docs


def generate():
    rnd, sets, docs = build()
    write(os.path.join(ROOT, "round.json"), rnd)
    write(os.path.join(ROOT, "criteria", "so-2025.json"), sets["so"])
    write(os.path.join(ROOT, "criteria", "xa-2025.json"), sets["xa"])
    adir = os.path.join(ROOT, "assessments")
    if os.path.isdir(adir):
        for f in os.listdir(adir):
            os.remove(os.path.join(adir, f))
    for uid, doc in docs.items():
        write(os.path.join(adir, f"{uid}.json"), doc)


def expected():
    rnd, sets, docs = load_round(ROOT)
    return presented(score_round(rnd, sets, docs), rnd["rounding"])


def check(results_path):
    theirs = json.load(open(results_path, encoding="utf-8"))
    diffs = compare(expected(), theirs)
    for d in diffs:
        print(d)
    print("differences:", len(diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--check":
        sys.exit(check(args[1]))
    if args == ["--expected"]:
        json.dump(expected(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        sys.exit(0)
    if len(args) >= 2 and args[0] == "--model-case":
        sys.exit(max(model_case(f) for f in args[1:]))
    if args:
        print(__doc__)
        sys.exit(2)
    generate()
