// `smile-lens backend`: which compute backend this machine gets, and why.
import * as tf from '@tensorflow/tfjs';
import type { Command } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';

const command: Command = {
  name: 'backend',
  summary: 'show which compute backend runs here and why the better ones do not',
  options: [],
  async run(options) {
    const choice = await chooseBackend(options.backend as string | undefined);
    console.log(describeBackend(choice));
    console.log(`tfjs ${tf.version.tfjs}, node ${process.version}, ${require('os').cpus().length} cores`);
  },
};
export default command;
