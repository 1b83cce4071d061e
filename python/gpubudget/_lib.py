"""The shared library libgpubudget.so through ctypes: loading, the C
structs the package passes, and the prototypes of the functions it calls.

Internal: the public API is in gpubudget/__init__.py. Every prototype here
copies a declaration of include/gpubudget/*.h; the headers say what each
argument means, who owns what and every status.

The library is found through, in order: the environment variable
GPB_LIBRARY (a path to libgpubudget.so, what the tests and an in-tree
checkout use), the LIBRARY that `meson install` recorded in _paths.py
next to this file, and the system's libgpubudget.so.0.

ctypes.CDLL releases the GIL around every foreign call (PyDLL would not),
so other Python threads run while a simulation does; a progress callback
takes the GIL back only for the time it runs.
"""

import ctypes
import ctypes.util
import os

# OpenBLAS starts a thread per core when it loads unless told not to; the
# engine runs its own workers and keeps BLAS single-threaded inside them,
# so the pool would only oversubscribe the cores (DESIGN.md, build facts).
# The variable is read once, when OpenBLAS loads: set it first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

c_size_t = ctypes.c_size_t
c_double = ctypes.c_double
c_int = ctypes.c_int
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
c_uint64 = ctypes.c_uint64
P = ctypes.POINTER

# common.h
GPB_ERROR_SOURCE_MAX = 256
GPB_ERROR_PATH_MAX = 160
GPB_ERROR_MESSAGE_MAX = 512

GPB_OK = 0
GPB_ERANGE = 3
GPB_ECANCELLED = 12
GPB_SEVERITY_ERROR = 0
GPB_SEVERITY_WARNING = 1
GPB_UNIT_MONEY = 0
GPB_SWEEP_STATS = 6
GPB_REPORT_N_LEVELS = 7
GPB_SIM_MAX_PATHS = 4000000000  # sim.h
GPB_SIM_MAX_SEED = 2 ** 63 - 1  # sim.h
CURRENCIES = {"USD": 1, "CNY": 2, "EUR": 3}


class Quantity(ctypes.Structure):
    """gpb_quantity (units.h)."""
    _fields_ = [("value", c_double), ("kind", c_int), ("currency", c_int)]


class InputDomain(ctypes.Structure):
    """gpb_input_domain (scenario.h)."""
    _fields_ = [("lo", c_double), ("hi", c_double), ("lo_open", c_int),
                ("hi_open", c_int), ("whole", c_int)]


class Error(ctypes.Structure):
    """gpb_error (common.h)."""
    _fields_ = [
        ("status", c_int),
        ("source", ctypes.c_char * GPB_ERROR_SOURCE_MAX),
        ("line", c_int),
        ("column", c_int),
        ("path", ctypes.c_char * GPB_ERROR_PATH_MAX),
        ("message", ctypes.c_char * GPB_ERROR_MESSAGE_MAX),
    ]


class EstimateRequest(ctypes.Structure):
    """gpb_report_estimate_request (report.h)."""
    _fields_ = [
        ("params", c_double), ("active_params", c_double),
        ("tokens", c_double), ("gpu", c_char_p), ("gpus", c_double),
        ("precision", c_char_p), ("recompute", c_int),
        ("mfu_frac", c_double), ("days", c_double),
        ("price_per_gpu_hour", c_double), ("price_currency", c_int),
    ]


class PlanSpec(ctypes.Structure):
    """gpb_plan_spec (plan.h); enums are int."""
    _fields_ = [
        ("params", c_double), ("active_params", c_double),
        ("n_experts", c_double), ("moe_top_k", c_double),
        ("n_layer", c_double), ("d_model", c_double), ("n_head", c_double),
        ("vocab", c_double), ("seq_len", c_double),
        ("global_batch_tokens", c_double), ("software", c_int),
        ("gpu", c_void_p), ("gpus", c_double), ("precision", c_int),
        ("peak_flop_per_s", c_double), ("mem_bytes", c_double),
        ("mem_bw_bytes_per_s", c_double), ("node_gpus", c_double),
        ("intra_node_bw_bytes_per_s", c_double),
        ("inter_node_bw_bytes_per_s", c_double),
        ("usable_mem_frac", c_double), ("tp", c_double), ("pp", c_double),
        ("micro_batch", c_double), ("interleave", c_double),
        ("recompute_fixed", c_int), ("recompute", c_int), ("zero", c_int),
    ]


class PlanRequest(ctypes.Structure):
    """gpb_report_plan_request (report.h)."""
    _fields_ = [
        ("spec", PlanSpec), ("gpu", c_char_p), ("precision", c_char_p),
        ("tokens", c_double), ("mfu_frac", c_double),
        ("price_per_gpu_hour", c_double), ("price_currency", c_int),
    ]


PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_size_t)


class SimOptions(ctypes.Structure):
    """gpb_sim_options (sim.h); fill with gpb_sim_options_default."""
    _fields_ = [
        ("struct_size", c_size_t),
        ("paths", c_size_t),
        ("seed", c_uint64),
        ("threads", c_int),
        ("quasi_random", c_int),
        ("progress", PROGRESS_FN),
        ("progress_ctx", c_void_p),
        ("input_values", P(c_double)),
        ("path_offset", c_uint64),
        ("memory_budget_bytes", c_size_t),
        ("rent_instead_of_buying", c_int),
        ("inputs_kept", ctypes.c_uint32),
        ("discount_rate_per_year", c_double),
        ("raise_months", c_int),
        ("ledger", c_int),
    ]


class RentVsBuy(ctypes.Structure):
    """gpb_rent_vs_buy (finance.h); enums are int."""
    _fields_ = [(n, c_int if n in ("rent_mode", "depreciation_method",
                                   "financing") else c_double)
                for n in (
        "gpus", "months", "util_frac",
        "rent_price_per_gpu_hour", "rent_price_change_frac_per_year",
        "rent_mode", "reserved_discount_frac", "reserved_commitment_months",
        "spot_discount_frac", "spot_preemption_loss_frac",
        "price_per_gpu", "premium", "overhead_frac", "overhead_per_node",
        "gpus_per_node", "lead_time_months", "tdp_watts", "server_overhead",
        "pue", "idle_power_frac", "tariff_per_kwh", "colo_per_kw_month",
        "maintenance_frac_per_year", "depreciation_method",
        "depreciation_life_months", "salvage_frac",
        "declining_rate_per_year", "resale_decline_frac_per_year",
        "resale_floor_frac", "rent_out_price_per_gpu_hour",
        "rent_out_util_frac", "financing", "loan_frac",
        "loan_rate_per_year", "loan_months", "lease_frac_per_month",
        "lease_payment_per_month", "discount_rate_per_year")]


class RentVsBuyRequest(ctypes.Structure):
    """gpb_report_rent_vs_buy_request (report.h)."""
    _fields_ = [
        ("gpu", c_char_p), ("finance", RentVsBuy),
        ("rent", Quantity), ("price", Quantity), ("tariff", Quantity),
        ("colo", Quantity), ("overhead_per_node", Quantity),
        ("lease_payment", Quantity), ("rent_out_price", Quantity),
        ("overhead_frac", c_double), ("tdp_watts", c_double),
        ("discount_rate_per_year", c_double),
        ("scenario", c_void_p), ("scenario_name", c_char_p),
        ("sim", SimOptions),
    ]


class CheckScenario(ctypes.Structure):
    """gpb_report_check_scenario (report.h); the arrays stay opaque."""
    _fields_ = [
        ("file", c_char_p), ("scenario", c_void_p), ("result", c_void_p),
        ("n_claims", c_size_t), ("checks", c_void_p), ("status", c_void_p),
        ("errors", c_void_p),
    ]


class CheckPitchRequest(ctypes.Structure):
    """gpb_report_check_pitch_request (report.h)."""
    _fields_ = [("pitch", c_char_p), ("precision", c_char_p),
                ("sim", SimOptions)]


class ReportOptions(ctypes.Structure):
    """gpb_report_options (report.h)."""
    _fields_ = [
        ("currency", c_int),
        ("rate", c_double),
        ("sensitivity", c_void_p),
        ("samples", c_int),
        ("ci_level", c_double),
        ("precision_target", c_double),
        ("precision_reached", c_int),
    ]


class SensitivityOptions(ctypes.Structure):
    """gpb_sensitivity_options (sensitivity.h)."""
    _fields_ = [
        ("max_paths", c_size_t),
        ("swing", c_int),
        ("swing_paths", c_size_t),
        ("swing_seed", c_uint64),
        ("swing_low", c_double),
        ("swing_high", c_double),
        ("threads", c_int),
    ]


class PairedDiff(ctypes.Structure):
    """gpb_paired_diff (sim.h)."""
    _fields_ = [
        ("paths", c_size_t),
        ("mean", c_double), ("std_error", c_double),
        ("p5", c_double), ("p50", c_double), ("p95", c_double),
        ("p_a_lower", c_double), ("p_a_higher", c_double),
    ]


class CompareIn(ctypes.Structure):
    """gpb_compare_in (report.h)."""
    _fields_ = [
        ("sa", c_void_p), ("sb", c_void_p),
        ("ra", c_void_p), ("rb", c_void_p),
        ("label_a", c_char_p), ("label_b", c_char_p),
    ]


class SweepTable(ctypes.Structure):
    """gpb_sweep_table (report.h)."""
    _fields_ = [
        ("scenario_name", c_char_p),
        ("currency", c_int),
        ("paths", c_size_t),
        ("seed", c_uint64),
        ("latin_hypercube", c_int),
        ("n_keys", c_size_t),
        ("keys", P(c_char_p)),
        ("n_points", c_size_t),
        ("values", P(c_char_p)),
        ("numeric", P(c_double)),
        ("n_metrics", c_size_t),
        ("metrics", P(c_char_p)),
        ("units", P(c_char_p)),
        ("rows", P(c_double)),
        ("errors", P(c_char_p)),
    ]


def _library_path():
    env = os.environ.get("GPB_LIBRARY")
    if env:
        return env
    try:
        from . import _paths  # written by meson install
        if os.path.exists(_paths.LIBRARY):
            return _paths.LIBRARY
    except ImportError:
        pass
    return ctypes.util.find_library("gpubudget") or "libgpubudget.so.0"


LIBRARY = _library_path()
try:
    lib = ctypes.CDLL(LIBRARY)
except OSError as e:
    raise ImportError(
        "gpubudget: cannot load the C library %r (%s); install gpubudget "
        "with meson, or set GPB_LIBRARY to the path of libgpubudget.so"
        % (LIBRARY, e)) from None

# (name, restype, argtypes)
_PROTOS = [
    # common.h
    ("gpb_status_str", c_char_p, [c_int]),
    ("gpb_free", None, [c_void_p]),
    ("gpb_version", c_char_p, []),
    ("gpb_error_format", c_int, [P(Error), c_char_p, c_size_t]),
    # units.h
    ("gpb_currency_code", c_char_p, [c_int]),
    ("gpb_units_parse", c_int, [c_char_p, P(Quantity), P(Error)]),
    ("gpb_units_parse_as", c_int, [c_char_p, c_int, P(Quantity), P(Error)]),
    ("gpb_units_parse_fraction", c_int,
     [c_char_p, c_int, P(c_double), P(Error)]),
    # report.h: the documents of the deterministic commands
    ("gpb_report_gpus_json", c_int, [P(c_void_p), P(Error)]),
    ("gpb_report_estimate_request_default", None, [P(EstimateRequest)]),
    ("gpb_report_estimate_json", c_int,
     [P(EstimateRequest), P(c_void_p), P(Error)]),
    ("gpb_report_plan_request_default", None, [P(PlanRequest)]),
    ("gpb_report_plan_json", c_int,
     [P(PlanRequest), P(c_void_p), P(Error)]),
    ("gpb_report_rent_vs_buy_request_default", None, [P(RentVsBuyRequest)]),
    ("gpb_report_rent_vs_buy_json", c_int,
     [P(RentVsBuyRequest), P(c_void_p), P(Error)]),
    ("gpb_report_check_scenario_compute", c_int,
     [c_char_p, c_void_p, c_void_p, c_int, P(CheckScenario), P(Error)]),
    ("gpb_report_check_scenario_free", None, [P(CheckScenario)]),
    ("gpb_report_check_json", c_int,
     [P(CheckScenario), c_size_t, P(c_void_p), P(Error)]),
    ("gpb_report_check_pitch_request_default", None,
     [P(CheckPitchRequest)]),
    ("gpb_report_check_pitch_json", c_int,
     [P(CheckPitchRequest), P(c_void_p), P(Error)]),
    # finance.h: the names of rent-vs-buy's choices
    ("gpb_finance_rent_mode_from_name", c_int,
     [c_char_p, P(c_int), P(Error)]),
    ("gpb_finance_financing_from_name", c_int,
     [c_char_p, P(c_int), P(Error)]),
    ("gpb_finance_depreciation_method_from_name", c_int,
     [c_char_p, P(c_int), P(Error)]),
    # scenario.h
    ("gpb_diagnostics_count", c_size_t, [c_void_p]),
    ("gpb_diagnostics_at", P(Error), [c_void_p, c_size_t]),
    ("gpb_diagnostics_severity", c_int, [c_void_p, c_size_t]),
    ("gpb_diagnostics_free", None, [c_void_p]),
    ("gpb_scenario_load_file_with_overrides", c_int,
     [c_char_p, c_char_p, P(c_void_p), P(c_void_p)]),
    ("gpb_scenario_load_string_with_overrides", c_int,
     [c_char_p, c_size_t, c_char_p, c_char_p, P(c_void_p), P(c_void_p)]),
    ("gpb_scenario_load_default", c_int, [P(c_void_p), P(c_void_p)]),
    ("gpb_scenario_free", None, [c_void_p]),
    ("gpb_scenario_warnings", c_void_p, [c_void_p]),
    ("gpb_scenario_name", c_char_p, [c_void_p]),
    ("gpb_scenario_source", c_char_p, [c_void_p]),
    ("gpb_scenario_currency", c_int, [c_void_p]),
    ("gpb_scenario_horizon_months", c_int, [c_void_p]),
    ("gpb_scenario_input_count", c_size_t, [c_void_p]),
    ("gpb_scenario_input_path", c_char_p, [c_void_p, c_size_t]),
    ("gpb_scenario_input_label", c_char_p, [c_void_p, c_size_t]),
    ("gpb_scenario_input_is_uncertain", c_int, [c_void_p, c_size_t]),
    ("gpb_scenario_input_find", ctypes.c_long, [c_void_p, c_char_p]),
    ("gpb_scenario_input_domain", InputDomain, [c_void_p, c_size_t]),
    ("gpb_scenario_training_count", c_size_t, [c_void_p]),
    ("gpb_scenario_training_name", c_char_p, [c_void_p, c_size_t]),
    ("gpb_scenario_text", c_void_p, [c_void_p, P(c_size_t)]),
    ("gpb_scenario_overrides", c_char_p, [c_void_p]),
    # sim.h
    ("gpb_sim_options_default", None, [P(SimOptions)]),
    ("gpb_sim_run", c_int, [c_void_p, P(SimOptions), P(c_void_p), P(Error)]),
    ("gpb_sim_run_kept", c_int,
     [c_void_p, P(SimOptions), c_size_t, P(c_void_p), P(Error)]),
    ("gpb_result_free", None, [c_void_p]),
    ("gpb_result_paths", c_size_t, [c_void_p]),
    ("gpb_result_path_offset", c_uint64, [c_void_p]),
    ("gpb_result_kept_paths", c_size_t, [c_void_p]),
    ("gpb_result_input_kept_paths", c_size_t, [c_void_p]),
    ("gpb_result_horizon_months", c_int, [c_void_p]),
    ("gpb_result_currency", c_int, [c_void_p]),
    ("gpb_result_seed", c_uint64, [c_void_p]),
    ("gpb_result_quasi_random", c_int, [c_void_p]),
    ("gpb_result_threads", c_int, [c_void_p]),
    ("gpb_result_metric_count", c_size_t, [c_void_p]),
    ("gpb_result_metric_name", c_char_p, [c_void_p, c_size_t]),
    ("gpb_result_metric_unit", c_char_p, [c_void_p, c_size_t]),
    ("gpb_result_metric_label", c_char_p, [c_void_p, c_size_t]),
    ("gpb_result_metric_direction", c_int, [c_void_p, c_size_t]),
    ("gpb_result_metric_unit_kind", c_int, [c_void_p, c_size_t]),
    ("gpb_result_metric_find", c_int,
     [c_void_p, c_char_p, P(c_size_t), P(Error)]),
    ("gpb_result_censored_at", c_double, [c_void_p, c_char_p]),
    ("gpb_result_mean", c_int,
     [c_void_p, c_char_p, P(c_double), P(c_double), P(Error)]),
    ("gpb_result_sd", c_int,
     [c_void_p, c_char_p, P(c_double), P(Error)]),
    ("gpb_result_quantiles", c_int,
     [c_void_p, c_char_p, c_size_t, P(c_double), P(c_double), P(Error)]),
    ("gpb_result_samples", c_int,
     [c_void_p, c_char_p, P(P(c_double)), P(Error)]),
    ("gpb_result_prob_out_of_cash_by", c_double, [c_void_p, c_int]),
    ("gpb_result_fan", c_int,
     [c_void_p, c_int, c_double, P(c_double), P(Error)]),
    ("gpb_result_raise_needed", c_int,
     [c_void_p, c_double, P(c_double), P(Error)]),
    ("gpb_result_raise_for_runway", c_int,
     [c_void_p, c_int, c_double, P(c_double), P(Error)]),
    ("gpb_result_raise_ci", c_int,
     [c_void_p, c_int, c_double, c_double, P(c_double), P(c_double),
      P(Error)]),
    ("gpb_result_ledger_mean", c_double, [c_void_p, c_int, c_int]),
    ("gpb_result_ledger_lists", c_int, [c_void_p, c_int]),
    ("gpb_result_input_count", c_size_t, [c_void_p]),
    ("gpb_result_input_path", c_char_p, [c_void_p, c_size_t]),
    ("gpb_result_input_samples_own", c_int,
     [c_void_p, c_void_p, c_size_t, P(c_double), P(Error)]),
    ("gpb_category_count", c_int, []),
    ("gpb_category_key", c_char_p, [c_int]),
    ("gpb_category_flow", c_int, [c_int]),
    ("gpb_sim_trace", c_int,
     [c_void_p, P(SimOptions), c_uint64, P(c_void_p), P(Error)]),
    ("gpb_trace_free", None, [c_void_p]),
    ("gpb_trace_months", c_int, [c_void_p]),
    ("gpb_trace_flow", c_double, [c_void_p, c_int, c_int]),
    ("gpb_trace_cash", c_double, [c_void_p, c_int]),
    ("gpb_trace_progress", c_double, [c_void_p, c_size_t, c_int]),
    ("gpb_trace_metric_count", c_size_t, [c_void_p]),
    ("gpb_trace_metric_name", c_char_p, [c_void_p, c_size_t]),
    ("gpb_trace_metric_value", c_double, [c_void_p, c_size_t]),
    ("gpb_trace_run_count", c_size_t, [c_void_p]),
    ("gpb_trace_out_of_cash_month", c_int, [c_void_p]),
    ("gpb_trace_input_count", c_size_t, [c_void_p]),
    ("gpb_trace_input_path", c_char_p, [c_void_p, c_size_t]),
    ("gpb_trace_input_value", c_double, [c_void_p, c_size_t]),
    # sensitivity.h
    ("gpb_sensitivity_options_default", None, [P(SensitivityOptions)]),
    ("gpb_sensitivity_compute", c_int,
     [c_void_p, c_void_p, P(SensitivityOptions), P(c_void_p), P(Error)]),
    ("gpb_sensitivity_free", None, [c_void_p]),
    ("gpb_sensitivity_metric_count", c_size_t, [c_void_p]),
    ("gpb_sensitivity_input_count", c_size_t, [c_void_p]),
    ("gpb_sensitivity_metric_name", c_char_p, [c_void_p, c_size_t]),
    ("gpb_sensitivity_input_path", c_char_p, [c_void_p, c_size_t]),
    ("gpb_sensitivity_input_label", c_char_p, [c_void_p, c_size_t]),
    ("gpb_sensitivity_spearman", c_double, [c_void_p, c_size_t, c_size_t]),
    ("gpb_sensitivity_srrc", c_double, [c_void_p, c_size_t, c_size_t]),
    ("gpb_sensitivity_r2", c_double, [c_void_p, c_size_t]),
    ("gpb_sensitivity_flags", ctypes.c_uint, [c_void_p, c_size_t, c_size_t]),
    ("gpb_sensitivity_has_swing", c_int, [c_void_p]),
    ("gpb_sensitivity_swing", c_int,
     [c_void_p, c_size_t, c_size_t, P(c_double), P(c_double), P(c_double),
      P(Error)]),
    ("gpb_sensitivity_swing_inputs", c_int,
     [c_void_p, c_size_t, P(c_double), P(c_double), P(c_double), P(Error)]),
    ("gpb_sensitivity_swing_se", c_int,
     [c_void_p, c_size_t, c_size_t, P(c_double), P(Error)]),
    # report.h
    ("gpb_report_options_default", None, [P(ReportOptions)]),
    ("gpb_report_json_opt", c_int,
     [c_void_p, c_void_p, P(ReportOptions), P(c_void_p), P(Error)]),
    ("gpb_report_html", c_int,
     [c_void_p, c_void_p, P(ReportOptions), P(c_void_p), P(Error)]),
    ("gpb_report_xlsx_write", c_int,
     [c_void_p, c_void_p, P(ReportOptions), c_char_p, P(Error)]),
    ("gpb_report_samples_csv", c_int,
     [c_void_p, c_void_p, P(ReportOptions), P(c_void_p), P(Error)]),
    ("gpb_report_trace_json", c_int,
     [c_void_p, c_void_p, P(SimOptions), P(ReportOptions), P(c_void_p),
      P(Error)]),
    ("gpb_report_compare_json", c_int,
     [P(CompareIn), P(ReportOptions), P(c_void_p), P(Error)]),
    ("gpb_report_exchange_rate", c_int,
     [c_void_p, c_int, c_int, P(c_double), P(Error)]),
    ("gpb_sweep_row", c_int,
     [c_void_p, P(c_char_p), c_size_t, P(c_double), P(Error)]),
    ("gpb_sweep_latin_hypercube", c_int,
     [c_size_t, c_size_t, c_uint64, P(c_double), P(Error)]),
    ("gpb_sweep_range_point", c_double, [c_double, c_double, c_int, c_double]),
    ("gpb_sweep_range_value", c_int,
     [c_void_p, c_char_p, c_char_p, c_char_p, c_double, P(Quantity),
      P(Error)]),
    ("gpb_units_format_quantity", c_int,
     [P(Quantity), c_int, c_int, c_char_p, c_size_t]),
    ("gpb_report_compare_html", c_int,
     [P(CompareIn), P(ReportOptions), P(c_void_p), P(Error)]),
    ("gpb_report_sweep_json", c_int,
     [P(SweepTable), P(c_void_p), P(Error)]),
]

for _name, _res, _args in _PROTOS:
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

# Asked of the library, not copied from sim.h: a category added there
# appears here without an edit.
GPB_CAT_COUNT = lib.gpb_category_count()

REPORT_LEVELS = tuple((c_double * GPB_REPORT_N_LEVELS).in_dll(
    lib, "gpb_report_levels"))


def s(b):
    """A borrowed C string as str (None stays None)."""
    return None if b is None else b.decode("utf-8", "replace")


def take_text(ptr):
    """Text the library allocated for the caller (a new char *): decoded,
    then released with gpb_free."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.gpb_free(ptr)
