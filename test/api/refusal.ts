import { expect } from 'vitest';
import { ApiError } from '../../shared/api/request.ts';

/** The ApiError `run` throws (fails the test if it throws nothing or something else). */
export function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('nothing was refused');
}
