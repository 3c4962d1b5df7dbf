#ifndef CREDFOLIO_CCBC_SHIM_H
#define CREDFOLIO_CCBC_SHIM_H

/* COIN-OR CBC's C interface (Debian's coinor-libcbc-dev), for its types
 * only: nothing here links the library. credfolio opens libCbcSolver with
 * dlopen the first time a command plans, so that the commands that do not
 * plan never pay the loader's cost of CBC and its dependencies.
 *
 * Each typedef is the type of one function of the real header, so that the
 * compiler checks the signatures that dlsym's pointers are cast to. */
#include <coin/Cbc_C_Interface.h>

typedef __typeof__(&Cbc_getVersion) credfolio_cbc_getVersion;
typedef __typeof__(&Cbc_newModel) credfolio_cbc_newModel;
typedef __typeof__(&Cbc_deleteModel) credfolio_cbc_deleteModel;
typedef __typeof__(&Cbc_loadProblem) credfolio_cbc_loadProblem;
typedef __typeof__(&Cbc_setInteger) credfolio_cbc_setInteger;
typedef __typeof__(&Cbc_setObjSense) credfolio_cbc_setObjSense;
typedef __typeof__(&Cbc_setParameter) credfolio_cbc_setParameter;
typedef __typeof__(&Cbc_setLogLevel) credfolio_cbc_setLogLevel;
typedef __typeof__(&Cbc_setMaximumSeconds) credfolio_cbc_setMaximumSeconds;
typedef __typeof__(&Cbc_setAllowableGap) credfolio_cbc_setAllowableGap;
typedef __typeof__(&Cbc_setAllowableFractionGap) credfolio_cbc_setAllowableFractionGap;
typedef __typeof__(&Cbc_solve) credfolio_cbc_solve;
typedef __typeof__(&Cbc_getColSolution) credfolio_cbc_getColSolution;
typedef __typeof__(&Cbc_getObjValue) credfolio_cbc_getObjValue;
typedef __typeof__(&Cbc_getBestPossibleObjValue) credfolio_cbc_getBestPossibleObjValue;
typedef __typeof__(&Cbc_numberSavedSolutions) credfolio_cbc_numberSavedSolutions;
typedef __typeof__(&Cbc_isProvenOptimal) credfolio_cbc_isProvenOptimal;
typedef __typeof__(&Cbc_isProvenInfeasible) credfolio_cbc_isProvenInfeasible;
typedef __typeof__(&Cbc_isAbandoned) credfolio_cbc_isAbandoned;

#endif
