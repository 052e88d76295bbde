// VigilEngine
