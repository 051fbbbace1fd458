/* crm-optimize.h: a small bounded quasi-Newton minimiser and the special functions
 * the customer-value models share (digamma, Gauss hypergeometric 2F1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRM_OPTIMIZE_ERROR (crm_optimize_error_quark ())

typedef enum
{
  CRM_OPTIMIZE_ERROR_INVALID_START,
  CRM_OPTIMIZE_ERROR_NOT_CONVERGED,
} CrmOptimizeError;

GQuark crm_optimize_error_quark (void);

/* Objective to minimise.  When @grad is non-NULL the function fills it with the
 * gradient at @x.  Returning a non-finite value marks @x as infeasible; the line
 * search then backs off. */
typedef double (*CrmObjectiveFunc) (const double *x,
                                    double       *grad,
                                    gpointer      user_data);

typedef struct
{
  guint  max_iterations;     /* 0: 500 */
  double gradient_tolerance; /* infinity norm of the projected gradient; 0: 1e-8 */
  double value_tolerance;    /* relative change of f over an iteration; 0: 1e-15 */
  gboolean numeric_gradient; /* central differences instead of asking @func for grad */
} CrmOptimizeOptions;

typedef struct
{
  guint    iterations;
  guint    evaluations;
  double   value;
  double   gradient_norm;    /* infinity norm of the projected gradient at the end */
  gboolean converged;
} CrmOptimizeResult;

/* Projected BFGS with an Armijo backtracking line search on the box
 * @lower <= x <= @upper (either bound may be NULL for "unbounded").
 * Deterministic: the same input always gives the same iterates.
 * On return @x holds the best point found.  Returns FALSE (with
 * CRM_OPTIMIZE_ERROR_INVALID_START) only when f is not finite at the start;
 * running out of iterations is reported through @result->converged. */
gboolean crm_optimize_minimize (guint                      n,
                                double                    *x,
                                const double              *lower,
                                const double              *upper,
                                CrmObjectiveFunc           func,
                                gpointer                   user_data,
                                const CrmOptimizeOptions  *options,
                                CrmOptimizeResult         *result,
                                GError                   **error);

/* ψ(x) for x > 0 (NAN otherwise). */
double   crm_digamma                    (double        x);

/* Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 by its power series.
 * Returns FALSE (and NAN in @result) when the series does not converge to
 * relative 1e-14 within the term budget, or the arguments are out of range. */
gboolean crm_hyp2f1                     (double        a,
                                         double        b,
                                         double        c,
                                         double        z,
                                         double       *result);

/* The same series evaluated at @n_z arguments at once (they share the
 * coefficients), z[i] in [0, 1).  Returns FALSE if any did not converge. */
gboolean crm_hyp2f1_multi               (double        a,
                                         double        b,
                                         double        c,
                                         const double *z,
                                         guint         n_z,
                                         double       *result);

/* A gamma(shape, rate) variate (Marsaglia & Tsang), for simulating the models. */
double   crm_random_gamma               (GRand        *rand,
                                         double        shape,
                                         double        rate);

G_END_DECLS
