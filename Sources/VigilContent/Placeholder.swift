// VigilContent
