/*
 * Calls BLAS through GSL (gsl_blas_dgemm → cblas_dgemm) so that
 * test_blas_binding.sh can check, with LD_DEBUG=bindings, that the symbol
 * binds to OpenBLAS and not to GSL's reference CBLAS (DESIGN.md, build
 * facts). Prints the product's trace so the call cannot be optimised away.
 */
#include <gsl/gsl_blas.h>
#include <stdio.h>

#include "gpubudget/gpubudget.h"

int main(void)
{
    double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {0};
    gsl_matrix_view A = gsl_matrix_view_array(a, 2, 2);
    gsl_matrix_view B = gsl_matrix_view_array(b, 2, 2);
    gsl_matrix_view C = gsl_matrix_view_array(c, 2, 2);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0,
                   &C.matrix);
    /* [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]: trace 69. */
    printf("trace %g (gpubudget %s)\n", c[0] + c[3], gpb_version());
    return c[0] + c[3] == 69 ? 0 : 1;
}
