// Types for vader-sentiment 1.1.x (ships none): a CommonJS bundle exporting { SentimentIntensityAnalyzer }.
declare module "vader-sentiment" {
  export interface VaderPolarityScores {
    neg: number;
    neu: number;
    pos: number;
    /** Normalised sum of valences, -1 … +1. */
    compound: number;
  }
  const vader: {
    SentimentIntensityAnalyzer: { polarity_scores(text: string): VaderPolarityScores };
  };
  export default vader;
}
