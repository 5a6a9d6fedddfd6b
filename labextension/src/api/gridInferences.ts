/**
 * What `GET grids/{id}` says of a grid's edited inferences (revision 0014):
 * kept apart from api/types.ts while that file is being split (issue 18);
 * fold into its IGrid and IGridInference afterwards.
 */

import { IGrid, IGridInference } from './gridPayloads';
import { IInferenceVersion } from './runPayloads';

/** A grid's inference, with when its text was last replaced (null: never). */
export interface IEditableGridInference extends IGridInference {
  edited: number | null;
}

/** A grid with its inferences' earlier versions, oldest first. */
export interface IGridWithHistory extends IGrid {
  inferences: IEditableGridInference[];
  inference_history: IInferenceVersion[];
}
